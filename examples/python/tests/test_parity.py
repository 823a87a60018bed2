"""tessera against networkx and igraph on every graph in ../shared/data/graphs/real.

Each file is read twice: by tessera.read_graph, and by the small parser below (independent of
tessera) into networkx and igraph graphs. Vertices are numbered alike on both sides (the file's
ids in increasing order), which the shape test checks, so results compare index by index.
"""
import functools
import math
import random

import igraph
import networkx as nx
import numpy as np
import pytest

import tessera

# Every file of graphs/real, with how to read it. The coverage test fails if a file is added
# without an entry here.
GRAPHS = {
    "USPowerGrid.txt": {"directed": False, "weighted": False},
    "Wiki-Vote.txt": {"directed": True, "weighted": False},
    "ca-GrQc.txt": {"directed": False, "weighted": False},
    "facebook_combined.txt": {"directed": False, "weighted": False},
    "luxembourg_osm.el": {"directed": False, "weighted": False},
    "rome99.gr": {"directed": True, "weighted": True},
}
NAMES = sorted(GRAPHS)


class Reference:
    """A graph file parsed in plain Python: edges between indices 0 .. n-1 (the file's ids in
    increasing order), as networkx and igraph graphs built on demand."""

    def __init__(self, path, directed, weighted):
        self.directed = directed
        self.weighted = weighted
        raw = []
        declared = None
        with open(path) as f:
            for line in f:
                fields = line.split()
                if not fields or fields[0][0] in "#%":
                    continue
                if path.suffix == ".gr":  # DIMACS: c comments, p sp n m, a u v w
                    if fields[0] == "p":
                        declared = int(fields[2])
                    if fields[0] == "a":
                        raw.append((int(fields[1]), int(fields[2]), float(fields[3])))
                else:
                    raw.append((int(fields[0]), int(fields[1]), 1.0))
        ids = sorted({u for u, _, _ in raw} | {v for _, v, _ in raw})
        if declared is not None:  # DIMACS numbers vertices 1 .. n, isolated ones included
            ids = list(range(1, declared + 1))
        self.ids = np.array(ids, dtype=np.int64)
        index = {k: i for i, k in enumerate(ids)}
        self.n = len(ids)
        self.edges = [(index[u], index[v], w) for u, v, w in raw]
        # The lightest edge between each ordered pair (both orders when undirected).
        self.weight = {}
        for u, v, w in self.edges:
            for a, b in [(u, v)] + ([] if directed else [(v, u)]):
                self.weight[a, b] = min(w, self.weight.get((a, b), math.inf))

    @functools.cached_property
    def nx(self):
        g = nx.DiGraph() if self.directed else nx.Graph()
        g.add_nodes_from(range(self.n))
        g.add_weighted_edges_from((u, v, self.weight[u, v]) for u, v, _ in self.edges)
        return g

    @functools.cached_property
    def ig(self):
        g = igraph.Graph(n=self.n, edges=[(u, v) for u, v, _ in self.edges],
                         directed=self.directed)
        g.es["weight"] = [w for _, _, w in self.edges]
        return g

    @functools.cached_property
    def nx_simple(self):
        """Without self loops (networkx merges parallel edges itself)."""
        g = self.nx.copy()
        g.remove_edges_from(list(nx.selfloop_edges(g)))
        return g

    @functools.cached_property
    def ig_simple(self):
        g = self.ig.copy()
        g.simplify(multiple=True, loops=True, combine_edges="min")
        return g

    def sources(self, count=3):
        """A few BFS/SSSP sources: the highest out-degree vertex and others drawn with a fixed
        seed."""
        out_degree = np.zeros(self.n, dtype=np.int64)
        for u, v, _ in self.edges:
            out_degree[u] += 1
            if not self.directed:
                out_degree[v] += 1
        rng = random.Random(20261121)
        return [int(np.argmax(out_degree))] + [rng.randrange(self.n) for _ in range(count - 1)]


@functools.lru_cache(maxsize=None)
def reference(data_dir, name):
    spec = GRAPHS[name]
    return Reference(data_dir / "graphs" / "real" / name, spec["directed"], spec["weighted"])


@functools.lru_cache(maxsize=None)
def load(data_dir, name, weighted=None, simplify=False):
    spec = GRAPHS[name]
    weighted = spec["weighted"] if weighted is None else weighted
    return tessera.read_graph(str(data_dir / "graphs" / "real" / name),
                              directed=spec["directed"], weighted=weighted,
                              default_weight=1.0, simplify=simplify)


def as_array(values, n, missing=math.inf):
    """A {vertex: value} dict as an array over 0 .. n-1."""
    out = np.full(n, missing, dtype=np.float64)
    for v, x in values.items():
        out[v] = x
    return out


def partition(labels):
    """A labelling as a set of vertex sets, whatever the labels are."""
    classes = {}
    for v, label in enumerate(np.asarray(labels).tolist()):
        classes.setdefault(label, []).append(v)
    return {frozenset(c) for c in classes.values()}


def check_tree(ref, dist, pred, sources, unit=False):
    """pred is a shortest-path tree of dist: each reached non-source vertex's predecessor is
    joined to it by an edge that is tight (weighing 1 each when unit)."""
    for v in range(ref.n):
        if v in sources or math.isinf(dist[v]):
            continue
        p = int(pred[v])
        assert (p, v) in ref.weight, f"predecessor {p} of {v} is not joined to it"
        w = 1.0 if unit else ref.weight[p, v]
        assert dist[p] + w == dist[v], f"edge {p}->{v} is not tight"


def test_every_real_graph_is_covered(data_dir):
    files = {p.name for p in (data_dir / "graphs" / "real").iterdir() if p.is_file()}
    assert files == set(GRAPHS), "graphs/real changed: list every file in GRAPHS"


@pytest.mark.parametrize("name", NAMES)
def test_shape(data_dir, name):
    ref, g = reference(data_dir, name), load(data_dir, name)
    assert g.directed == ref.directed
    assert g.weighted == ref.weighted
    assert g.num_vertices == ref.n
    np.testing.assert_array_equal(g.keys, ref.ids)
    loops = sum(1 for u, v, _ in ref.edges if u == v)
    stored = len(ref.edges) if ref.directed else 2 * len(ref.edges) - loops
    assert g.num_edges == stored


@pytest.mark.parametrize("name", NAMES)
def test_bfs(data_dir, name):
    ref, g = reference(data_dir, name), load(data_dir, name)
    for s in ref.sources():
        r = tessera.bfs(g, s)
        levels = np.where(r.levels == tessera.BFS_UNREACHED, math.inf, r.levels)
        expected_nx = as_array(nx.single_source_shortest_path_length(ref.nx, s), ref.n)
        np.testing.assert_array_equal(levels, expected_nx)
        expected_ig = np.array(ref.ig.distances(source=[s], mode="out")[0], dtype=np.float64)
        np.testing.assert_array_equal(levels, expected_ig)
        assert r.reached == np.isfinite(expected_nx).sum()
        assert r.max_level == expected_nx[np.isfinite(expected_nx)].max()
        check_tree(ref, levels, r.parents, {s}, unit=True)
        assert r.parents[s] == s


@pytest.mark.filterwarnings("ignore:networkx.pagerank_scipy is deprecated")
@pytest.mark.parametrize("name", NAMES)
def test_pagerank(data_dir, name):
    # Matched semantics: damping 0.85, ranks summing to 1, dangling rank spread uniformly over
    # all vertices (networkx's and igraph's rule), uniform teleport, unweighted, on the simple
    # graph (self loops dropped, parallel edges merged: igraph counts an undirected loop twice,
    # networkx once, so loops would make the references disagree with each other).
    ref, g = reference(data_dir, name), load(data_dir, name, weighted=False, simplify=True)
    r = tessera.pagerank(g, damping=0.85, tolerance=1e-12, max_iterations=1000)
    assert r.converged and r.residual < 1e-12
    assert abs(r.ranks.sum() - 1) < 1e-12
    # Both power iterations stop once an iteration changes the ranks by less than 1e-12 in L1
    # (networkx tests its error against n * tol). The iteration contracts L1 distances by the
    # damping d, so each result is within 1e-12 * d / (1 - d) < 6e-12 of the fixed point in
    # L1, and the two within 1.2e-11 of each other; 1e-10 leaves room for rounding.
    expected = nx.pagerank(ref.nx_simple, alpha=0.85, tol=1e-12 / ref.n, max_iter=1000,
                           weight=None)
    np.testing.assert_allclose(r.ranks, as_array(expected, ref.n), rtol=0, atol=1e-10)
    # igraph's PRPACK solves to a residual of 1e-10 (L1) by its own method, so its error is up to
    # 1e-10 * d / (1 - d) < 6e-10 in L1; 1e-9 bounds the difference per vertex.
    expected_ig = ref.ig_simple.pagerank(damping=0.85, directed=ref.directed,
                                         implementation="prpack")
    np.testing.assert_allclose(r.ranks, expected_ig, rtol=0, atol=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_weak_components(data_dir, name):
    ref, g = reference(data_dir, name), load(data_dir, name)
    r = tessera.wcc(g)
    ours = partition(r.labels)
    assert len(ours) == r.count
    components = nx.weakly_connected_components if ref.directed else nx.connected_components
    assert ours == {frozenset(c) for c in components(ref.nx)}
    assert ours == partition(ref.ig.connected_components(mode="weak").membership)
    # Default labels: each vertex carries the smallest vertex of its component.
    assert all(int(r.labels[min(c)]) == min(c) for c in ours)


@pytest.mark.parametrize("name", NAMES)
def test_strong_components(data_dir, name):
    ref, g = reference(data_dir, name), load(data_dir, name)
    r = tessera.scc(g, labels="dense")
    ours = partition(r.labels)
    assert len(ours) == r.count
    assert sorted(np.unique(r.labels).tolist()) == list(range(r.count))
    # networkx has strong components for directed graphs only; an undirected graph's strong
    # components are its connected components.
    components = nx.strongly_connected_components if ref.directed else nx.connected_components
    assert ours == {frozenset(c) for c in components(ref.nx)}
    assert ours == partition(ref.ig.connected_components(mode="strong").membership)


@pytest.mark.parametrize("name", NAMES)
def test_sssp(data_dir, name):
    # Weighted graphs by their weights; the others with every edge weighing 1 (read as weighted
    # with default weight 1, so Dijkstra and delta-stepping run, not BFS). Weights are integers,
    # so distances are exact sums and compare exactly.
    ref, g = reference(data_dir, name), load(data_dir, name, weighted=True)
    assert g.weighted
    for s in ref.sources(2):
        expected = as_array(nx.single_source_dijkstra_path_length(ref.nx, s), ref.n)
        expected_ig = np.array(ref.ig.distances(source=[s], weights="weight", mode="out")[0],
                               dtype=np.float64)
        np.testing.assert_array_equal(expected, expected_ig)  # the references agree
        for algorithm in ("dijkstra", "delta_stepping"):
            r = tessera.sssp(g, s, algorithm=algorithm)
            np.testing.assert_array_equal(r.distances, expected, err_msg=algorithm)
            check_tree(ref, r.distances, r.predecessors, {s})
            assert r.predecessors[s] == s
            unreached = np.isinf(r.distances)
            assert (r.predecessors[unreached] == tessera.NO_VERTEX).all()
    if not ref.weighted:  # the unweighted graph's SSSP (by BFS) gives the same distances
        s = ref.sources(1)[0]
        expected = as_array(nx.single_source_shortest_path_length(ref.nx, s), ref.n)
        np.testing.assert_array_equal(tessera.sssp(load(data_dir, name), s).distances, expected)
