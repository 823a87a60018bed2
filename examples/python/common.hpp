// Shared helpers of the tessera Python module: results handed to numpy without a copy, and
// errors raised as tessera.Error.
#pragma once

#include <tessera/core/error.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tessera_python {

namespace py = pybind11;

/// A 1-D numpy array that takes over `values`' storage: the vector moves to the heap and a
/// capsule owned by the array deletes it, so the array outlives whatever produced it.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& values) {
  auto heap = std::make_unique<std::vector<T>>(std::move(values));
  const auto n = static_cast<py::ssize_t>(heap->size());
  const T* data = heap->data();
  py::capsule owner(heap.get(), [](void* p) { delete static_cast<std::vector<T>*>(p); });
  heap.release(); // the capsule owns it now
  return py::array_t<T>(n, data, owner);
}

/// Throws tessera::exception (raised in Python as tessera.Error).
[[noreturn]] inline void fail(tessera::errc code, std::string message) {
  tessera::throw_error(tessera::error(code, std::move(message)));
}

/// Marks a numpy array read-only (views of tessera's immutable buffers).
inline void make_read_only(py::array& a) {
  a.attr("setflags")(py::arg("write") = false);
}

/// The numpy dtype of `a` as text, for messages.
inline std::string dtype_name(const py::array& a) {
  return py::str(a.dtype()).cast<std::string>();
}

void init_graph(py::module_& m);
void init_columns(py::module_& m);
void init_workflow(py::module_& m);

} // namespace tessera_python
