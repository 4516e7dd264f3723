# Instrumentation for the reliability builds (make sanitize, make fuzz), applied to every target.
#   MYELIN_SANITIZE: AddressSanitizer + UndefinedBehaviorSanitizer; any report aborts the program.
#   MYELIN_FUZZ:     also libFuzzer's coverage hooks (clang only); fuzz/ links the fuzzer driver.
if(MYELIN_SANITIZE OR MYELIN_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g1)
  add_link_options(-fsanitize=address,undefined)
endif()
if(MYELIN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MYELIN_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
