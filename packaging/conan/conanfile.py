"""Conan 2 recipe for tessera, a header-only library: `conan create packaging/conan`."""
import os
import re

from conan import ConanFile
from conan.tools.files import copy, load
from conan.tools.build import check_min_cppstd


class TesseraConan(ConanFile):
    name = "tessera"
    description = "Header-only C++20 library for columnar data and graph analytics"
    license = "BSL-1.0"
    topics = ("graph", "columnar", "simd", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"with_column": [True, False], "with_format": [True, False], "with_openmp": [True, False]}
    default_options = {"with_column": True, "with_format": True, "with_openmp": True}
    no_copy_source = True

    @property
    def _root(self):
        return os.path.join(self.recipe_folder, "..", "..")

    def set_version(self):
        text = load(self, os.path.join(self._root, "include", "tessera", "version.hpp"))
        parts = [re.search(rf"#define TESSERA_VERSION_{p} (\d+)", text).group(1)
                 for p in ("MAJOR", "MINOR", "PATCH")]
        self.version = ".".join(parts)

    def export_sources(self):
        copy(self, "include/*", src=self._root, dst=self.export_sources_folder)
        copy(self, "LICENSE", src=self._root, dst=self.export_sources_folder)

    def config_options(self):
        if self.options.with_format:
            self.options.with_column = True

    def requirements(self):
        if self.options.with_column:
            self.requires("xsimd/13.0.0")
        if self.options.with_format:
            self.requires("zstd/1.5.6")
            self.requires("xxhash/0.8.2")

    def validate(self):
        check_min_cppstd(self, 20)

    def package_id(self):
        self.info.clear()

    def package(self):
        copy(self, "LICENSE", src=self.source_folder, dst=os.path.join(self.package_folder, "licenses"))
        copy(self, "*.hpp", src=os.path.join(self.source_folder, "include"),
             dst=os.path.join(self.package_folder, "include"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "tessera")
        core = self.cpp_info.components["core"]
        core.set_property("cmake_target_name", "tessera::tessera")
        core.bindirs = []
        core.libdirs = []
        if self.settings.os in ("Linux", "FreeBSD"):
            core.system_libs = ["pthread"]
        if self.options.with_openmp:
            core.defines = ["TESSERA_WITH_OPENMP=1"]
            if self.settings.compiler in ("gcc", "clang"):
                core.cxxflags = ["-fopenmp"]
                core.sharedlinkflags = core.exelinkflags = ["-fopenmp"]
        requires = ["core"]
        if self.options.with_column:
            column = self.cpp_info.components["column"]
            column.set_property("cmake_target_name", "tessera::column")
            column.requires = ["core", "xsimd::xsimd"]
            column.bindirs = column.libdirs = []
            requires.append("column")
        if self.options.with_format:
            fmt = self.cpp_info.components["format"]
            fmt.set_property("cmake_target_name", "tessera::format")
            fmt.requires = ["column", "zstd::zstd", "xxhash::xxhash"]
            fmt.bindirs = fmt.libdirs = []
            requires.append("format")
        everything = self.cpp_info.components["all"]
        everything.set_property("cmake_target_name", "tessera::all")
        everything.requires = requires
        everything.bindirs = everything.libdirs = []
