# Third-party libraries, all from Debian packages (scripts/setup installs them).
find_package(OpenMP REQUIRED)
find_package(ZLIB REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(benchmark QUIET)
# Run configs (TOML) and the command-line tool's arguments.
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)

# OpenBLAS, preferring Debian's OpenMP build: the default pthread build would run its own
# threads next to myelin's OpenMP threads and oversubscribe the cores.
find_library(MYELIN_BLAS_LIBRARY NAMES openblas
  PATHS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp NO_DEFAULT_PATH)
find_library(MYELIN_BLAS_LIBRARY NAMES openblas)
find_path(MYELIN_BLAS_INCLUDE_DIR cblas.h
  PATHS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp NO_DEFAULT_PATH)
find_path(MYELIN_BLAS_INCLUDE_DIR cblas.h PATH_SUFFIXES openblas)
if(NOT MYELIN_BLAS_LIBRARY OR NOT MYELIN_BLAS_INCLUDE_DIR)
  message(FATAL_ERROR "OpenBLAS not found: run scripts/setup (apt-get install libopenblas-openmp-dev)")
endif()
message(STATUS "myelin: BLAS ${MYELIN_BLAS_LIBRARY}")
# ONNX export and import: Debian's libonnx (its checker) and the protobuf messages it was built with.
find_package(Protobuf REQUIRED)
find_package(ONNX REQUIRED)
