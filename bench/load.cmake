# Registry-scale load benchmark and corpus generator (included from bench/CMakeLists.txt).
add_library(trialmill_gen_corpus STATIC ${PROJECT_SOURCE_DIR}/bench/gen_corpus.cpp)
target_include_directories(trialmill_gen_corpus PUBLIC ${PROJECT_SOURCE_DIR}/bench)
target_link_libraries(trialmill_gen_corpus PUBLIC trialmill_common)

add_executable(trialmill-gen-corpus ${PROJECT_SOURCE_DIR}/bench/gen_corpus_main.cpp)
target_link_libraries(trialmill-gen-corpus PRIVATE trialmill_gen_corpus)
target_compile_definitions(trialmill-gen-corpus PRIVATE TRIALMILL_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

add_executable(trialmill-bench-load ${PROJECT_SOURCE_DIR}/bench/bench_load.cpp)
target_link_libraries(trialmill-bench-load PRIVATE trialmill_gen_corpus trialmill_bench_floors trialmill_driver
                      SQLiteCpp sqlite3 PkgConfig::GUMBO)
target_compile_definitions(trialmill-bench-load PRIVATE TRIALMILL_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(trialmill-bench-load trialmill-gen-corpus)
