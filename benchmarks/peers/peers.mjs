// Peer timings for tessera's benchmarks: DuckDB and Polars on the very data tessera's benchmark
// binaries wrote as CSV (loading the CSV is not timed). benchmarks/run-peers drives it; by hand:
//
//   node benchmarks/peers/peers.mjs format-duckdb  CSV WORKDIR REPS THREADS PREDICATE_ID
//   node benchmarks/peers/peers.mjs format-polars  CSV WORKDIR REPS PREDICATE_ID
//                                   (thread count from POLARS_MAX_THREADS, read at start-up)
//   node benchmarks/peers/peers.mjs columns-duckdb CSVDIR REPS THREADS
//   node benchmarks/peers/peers.mjs csv-duckdb     CSV REPS THREADS
//   POLARS_MAX_THREADS=THREADS node benchmarks/peers/peers.mjs csv-polars CSV REPS THREADS
//   node benchmarks/peers/peers.mjs footer-duckdb  PARQUET REPS
//   POLARS_MAX_THREADS=1 node benchmarks/peers/peers.mjs footer-polars PARQUET REPS
//
// Prints one JSON object per line: {"peer", "op", "threads", "times_s": [...], ...}.
// Parquet files are written with zstd (each library's default level) into WORKDIR.
// The csv modes time the CSV read itself, type detection included (as tessera's csv::read), and
// print the rows and the type each column was given. The footer modes time reading a Parquet
// file's metadata on one thread, as tessera's parquet::try_read_footer: DuckDB counts the rows of
// parquet_metadata (one per column chunk); Polars resolves the columns of a scan, for which it
// reads and decodes the whole footer.
import { statSync, rmSync } from "node:fs";
import { join } from "node:path";

const [, , mode, ...args] = process.argv;

function emit(o) {
  process.stdout.write(JSON.stringify(o) + "\n");
}

async function timeReps(reps, body, between) {
  const times = [];
  for (let i = 0; i < reps; ++i) {
    const t0 = process.hrtime.bigint();
    await body();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (between) await between();
  }
  return times;
}

// The .tsr benchmark table (benchmarks/format/tsr_bench.cpp), column for column.
const formatColumnsDuckdb = {
  id: "BIGINT",
  i32: "INTEGER",
  value: "DOUBLE",
  ts: "TIMESTAMP_MS",
  flag: "BOOLEAN",
  city: "VARCHAR",
  user: "VARCHAR",
  maybe: "DOUBLE",
};

async function duckdb() {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  return instance.connect();
}

async function scalar(con, sql) {
  const reader = await con.runAndReadAll(sql);
  return reader.getRows()[0][0];
}

const quote = (s) => "'" + s.replaceAll("'", "''") + "'";

async function formatDuckdb([csv, work, reps, threads, predicateId]) {
  const con = await duckdb();
  const n = Number(reps);
  await con.run(`SET threads = ${Number(threads)}`);
  await con.run("SET preserve_insertion_order = true");
  const cols = Object.entries(formatColumnsDuckdb)
    .map(([k, v]) => `'${k}': '${v}'`)
    .join(", ");
  await con.run(
    `CREATE TABLE t AS SELECT * FROM read_csv(${quote(csv)}, header = true, columns = {${cols}})`,
  );
  const rows = Number(await scalar(con, "SELECT count(*) FROM t"));
  const file = join(work, `duckdb-${threads}.parquet`);
  const base = { peer: "duckdb", threads: Number(threads), rows };
  const write = await timeReps(n, () =>
    con.run(`COPY t TO ${quote(file)} (FORMAT parquet, COMPRESSION zstd)`),
  );
  emit({ ...base, op: "write_parquet_zstd", times_s: write, bytes: statSync(file).size });
  const read = await timeReps(
    n,
    () => con.run(`CREATE OR REPLACE TEMP TABLE r AS SELECT * FROM read_parquet(${quote(file)})`),
    () => con.run("DROP TABLE r"),
  );
  emit({ ...base, op: "read_all", times_s: read });
  let out = 0;
  const proj = await timeReps(
    n,
    async () => {
      await con.run(
        `CREATE OR REPLACE TEMP TABLE r AS SELECT value, city FROM read_parquet(${quote(file)}) ` +
          `WHERE id >= ${Number(predicateId)} AND i32 < 500000`,
      );
    },
    async () => {
      out = Number(await scalar(con, "SELECT count(*) FROM r"));
      await con.run("DROP TABLE r");
    },
  );
  emit({ ...base, op: "read_projected_selective", times_s: proj, rows_out: out });
  rmSync(file, { force: true });
}

async function formatPolars([csv, work, reps, predicateId]) {
  const pl = (await import("nodejs-polars")).default;
  const n = Number(reps);
  const threads = Number(process.env.POLARS_MAX_THREADS ?? 0);
  const df = pl.readCSV(csv, {
    hasHeader: true,
    dtypes: {
      id: pl.Int64,
      i32: pl.Int32,
      value: pl.Float64,
      ts: pl.Datetime("ms"),
      flag: pl.Bool,
      city: pl.Utf8,
      user: pl.Utf8,
      maybe: pl.Float64,
    },
  });
  const file = join(work, `polars-${threads}.parquet`);
  const base = { peer: "polars", threads, rows: df.height };
  const write = await timeReps(n, () => df.writeParquet(file, { compression: "zstd" }));
  emit({ ...base, op: "write_parquet_zstd", times_s: write, bytes: statSync(file).size });
  let sink = 0;
  const read = await timeReps(n, () => {
    sink += pl.readParquet(file).height;
  });
  emit({ ...base, op: "read_all", times_s: read });
  let out = 0;
  const proj = await timeReps(n, () => {
    out = pl
      .scanParquet(file)
      .filter(pl.col("id").gtEq(Number(predicateId)).and(pl.col("i32").lt(500000)))
      .select("value", "city")
      .collectSync().height;
  });
  emit({ ...base, op: "read_projected_selective", times_s: proj, rows_out: out, sink });
  rmSync(file, { force: true });
}

async function columnsDuckdb([dir, reps, threads]) {
  const con = await duckdb();
  const n = Number(reps);
  await con.run(`SET threads = ${Number(threads)}`);
  const load = (table, file, cols) =>
    con.run(
      `CREATE TABLE ${table} AS SELECT * FROM read_csv(${quote(join(dir, file))}, header = true, ` +
        `columns = {${cols.map((c) => `'${c}': 'BIGINT'`).join(", ")}})`,
    );
  await con.run(
    `CREATE TABLE g AS SELECT * FROM read_csv(${quote(join(dir, "group.csv"))}, header = true, ` +
      `columns = {'k100': 'BIGINT', 'k1m': 'BIGINT', 'v': 'DOUBLE'})`,
  );
  await load("l", "join_left.csv", ["k", "a"]);
  await load("r", "join_right.csv", ["k", "b"]);
  const rows = Number(await scalar(con, "SELECT count(*) FROM g"));
  const base = { peer: "duckdb", threads: Number(threads) };
  const drop = () => con.run("DROP TABLE IF EXISTS o");
  for (const [op, key] of [
    ["group_by_100", "k100"],
    ["group_by_1000000", "k1m"],
  ]) {
    let groups = 0;
    const times = await timeReps(
      n,
      () => con.run(`CREATE TEMP TABLE o AS SELECT ${key} AS k, sum(v) AS v FROM g GROUP BY ${key}`),
      async () => {
        groups = Number(await scalar(con, "SELECT count(*) FROM o"));
        await drop();
      },
    );
    emit({ ...base, op, rows, times_s: times, groups });
  }
  const lrows = Number(await scalar(con, "SELECT count(*) FROM l"));
  const rrows = Number(await scalar(con, "SELECT count(*) FROM r"));
  let matches = 0;
  const times = await timeReps(
    n,
    () => con.run("CREATE TEMP TABLE o AS SELECT l.k, l.a, r.b FROM l JOIN r ON l.k = r.k"),
    async () => {
      matches = Number(await scalar(con, "SELECT count(*) FROM o"));
      await drop();
    },
  );
  emit({ ...base, op: "join", rows: lrows + rrows, times_s: times, matches });
}

// Engine type names in the vocabulary of the report: int64, double, string, date, or the name.
const commonType = (name) =>
  ({
    BIGINT: "int64",
    Int64: "int64",
    DOUBLE: "double",
    Float64: "double",
    VARCHAR: "string",
    Utf8: "string",
    String: "string",
    DATE: "date",
    Date: "date",
  })[name] ?? name;

// One CSV read's line: its times, rows, and the engine's column types with their common names.
const emitCsvRead = (peer, threads, rows, times, types) =>
  emit({
    peer,
    op: "read_csv",
    threads: Number(threads),
    rows,
    times_s: times,
    types: Object.fromEntries(Object.entries(types).map(([k, v]) => [k, commonType(v)])),
    engine_types: types,
  });

async function csvDuckdb([csv, reps, threads]) {
  const con = await duckdb();
  await con.run(`SET threads = ${Number(threads)}`);
  let rows = 0;
  let types = {};
  const times = await timeReps(
    Number(reps),
    () =>
      con.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv(${quote(csv)}, header = true)`),
    async () => {
      rows = Number(await scalar(con, "SELECT count(*) FROM t"));
      const described = (await con.runAndReadAll("DESCRIBE t")).getRows();
      types = Object.fromEntries(described.map((r) => [r[0], String(r[1])]));
      await con.run("DROP TABLE t");
    },
  );
  emitCsvRead("duckdb", threads, rows, times, types);
}

// nodejs-polars prints a data type as "DataType(Int64)".
const polarsTypeName = (dtype) => String(dtype).replace(/^DataType\((.*)\)$/, "$1");

async function csvPolars([csv, reps, threads]) {
  // Polars sizes its thread pool once, from POLARS_MAX_THREADS, when the module loads.
  if (process.env.POLARS_MAX_THREADS !== String(Number(threads))) {
    process.stderr.write(
      `peers.mjs: csv-polars ${threads} threads needs POLARS_MAX_THREADS=${threads} ` +
        `(it is '${process.env.POLARS_MAX_THREADS ?? ""}')\n`,
    );
    process.exit(2);
  }
  const pl = (await import("nodejs-polars")).default;
  let df = null;
  let rows = 0;
  let types = {};
  // ignoreErrors defaults to true in nodejs-polars, which would turn a value that does not fit
  // the inferred type into a null; tryParseDates lets ISO dates become dates, as in the others.
  const options = { hasHeader: true, ignoreErrors: false, tryParseDates: true };
  const times = await timeReps(
    Number(reps),
    () => {
      df = pl.readCSV(csv, options);
    },
    () => {
      if (df === null) return;
      rows = df.height;
      types = Object.fromEntries(df.columns.map((c, i) => [c, polarsTypeName(df.dtypes[i])]));
      df = null;
    },
  );
  emitCsvRead("polars", threads, rows, times, types);
}

async function footerDuckdb([file, reps]) {
  const con = await duckdb();
  await con.run("SET threads = 1");
  let chunks = 0;
  const times = await timeReps(Number(reps), async () => {
    chunks = Number(await scalar(con, `SELECT count(*) FROM parquet_metadata(${quote(file)})`));
  });
  emit({ peer: "duckdb", op: "read_footer", threads: 1, column_chunks: chunks, times_s: times });
}

async function footerPolars([file, reps]) {
  if (process.env.POLARS_MAX_THREADS !== "1") {
    process.stderr.write("peers.mjs: footer-polars needs POLARS_MAX_THREADS=1\n");
    process.exit(2);
  }
  const pl = (await import("nodejs-polars")).default;
  let columns = 0;
  const times = await timeReps(Number(reps), () => {
    columns = pl.scanParquet(file).columns.length;
  });
  emit({ peer: "polars", op: "read_footer", threads: 1, columns, times_s: times });
}

const modes = {
  "format-duckdb": formatDuckdb,
  "format-polars": formatPolars,
  "columns-duckdb": columnsDuckdb,
  "csv-duckdb": csvDuckdb,
  "csv-polars": csvPolars,
  "footer-duckdb": footerDuckdb,
  "footer-polars": footerPolars,
};
if (!modes[mode]) {
  process.stderr.write(`peers.mjs: unknown mode '${mode}' (expected ${Object.keys(modes)})\n`);
  process.exit(2);
}
await modes[mode](args);
