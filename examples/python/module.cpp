// The `tessera` Python module: graphs and graph algorithms over numpy arrays, columns and tables
// (CSV, .tsr, Parquet metadata), and workflows. See README.md.
#include "common.hpp"

#include <tessera/core/parallel.hpp>
#include <tessera/version.hpp>

#include <exception>
#include <string>

PYBIND11_MODULE(tessera, m) {
  namespace py = pybind11;
  m.doc() = "tessera: graph analytics and columnar data (a thin binding of the C++ library).\n\n"
            "Long-running calls release the GIL. Failures raise tessera.Error, whose message is\n"
            "tessera's own: 'file:line:column: kind: message'.";
  m.attr("__version__") = std::to_string(TESSERA_VERSION_MAJOR) + "." +
                          std::to_string(TESSERA_VERSION_MINOR) + "." +
                          std::to_string(TESSERA_VERSION_PATCH);

  // tessera.Error(RuntimeError): str(e) is tessera's full message; e.kind is the error kind
  // ("parse error", "io error", ...).
  static py::exception<tessera::exception> error_type(m, "Error", PyExc_RuntimeError);
  error_type.doc() = "A tessera failure: str(e) is 'file:line:column: kind: message', e.kind "
                     "the kind alone (e.g. 'parse error').";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const tessera::exception& e) {
      py::object instance = py::handle(error_type.ptr())(e.what());
      instance.attr("kind") = std::string(tessera::to_string(e.code()));
      PyErr_SetObject(error_type.ptr(), instance.ptr());
    }
  });

  m.def(
      "set_num_threads",
      [](int n) {
        if (n < 0)
          tessera_python::fail(tessera::errc::invalid_argument,
                               "thread count must be non-negative, got " + std::to_string(n));
        tessera::set_num_threads(n);
      },
      py::arg("n"),
      "Sets the number of threads tessera's parallel loops use (0: the hardware default).");
  m.def("num_threads", &tessera::num_threads,
        "The number of threads tessera's parallel loops use.");

  tessera_python::init_graph(m);
  tessera_python::init_columns(m);
  tessera_python::init_workflow(m);
}
