# One golden CLI case (as osmium-tool has them), run by CTest:
#   cmake -DCASE=<dir> -DSOURCE_DIR=<repo> -DBIN_DIR=<bin> -DWORK=<scratch dir> -P compare.cmake
# The case directory holds
#   cmd     the command line: program (from BIN_DIR) and its words, on one line
#   setup   optional: command lines run first, one a line; each must exit 0 (output dropped)
#   stdin   optional: what the command reads on stdin
#   exit    the expected exit code
#   stdout  the expected stdout, stderr the expected stderr; a missing file means "empty"
# Words are split on blanks, then @SRC@ (the repository), @WORK@ (a scratch directory emptied
# before the case) and @BASE@ (the offline registry served on loopback by with_registry.sh, for
# the cases that name it) are filled in. The outputs are compared after what varies from run to
# run is replaced: those paths, the server's address, times, durations, rates, process ids and
# the version. TRIALMILL_UPDATE_GOLDEN=1 in the environment writes the outputs as the expected.
cmake_minimum_required(VERSION 3.20)
foreach(var CASE SOURCE_DIR BIN_DIR WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "compare.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# The words of one command line, with the program resolved in BIN_DIR.
function(command_words line out)
  separate_arguments(words UNIX_COMMAND "${line}")
  set(result "")
  set(first TRUE)
  foreach(word IN LISTS words)
    string(REPLACE "@SRC@" "${SOURCE_DIR}" word "${word}")
    string(REPLACE "@WORK@" "${WORK}" word "${word}")
    if(first)
      set(word "${BIN_DIR}/${word}")
      set(first FALSE)
    endif()
    list(APPEND result "${word}")
  endforeach()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

file(STRINGS "${CASE}/cmd" cmd_line LIMIT_COUNT 1)
command_words("${cmd_line}" cmd)
set(setup_lines "")
if(EXISTS "${CASE}/setup")
  file(STRINGS "${CASE}/setup" setup_lines)
endif()

set(input_args "")
if(EXISTS "${CASE}/stdin")
  file(READ "${CASE}/stdin" input)
  string(REPLACE "@SRC@" "${SOURCE_DIR}" input "${input}")
  string(REPLACE "@WORK@" "${WORK}" input "${input}")
  file(WRITE "${WORK}/.stdin" "${input}")
  set(input_args INPUT_FILE "${WORK}/.stdin")
endif()

file(READ "${CASE}/cmd" cmd_text)
string(JOIN "\n" setup_text ${setup_lines})
if("${cmd_text}${setup_text}" MATCHES "@BASE@")
  # One server for the setup and the command, through the helper.
  set(chain "")
  foreach(line IN LISTS setup_lines)
    command_words("${line}" words)
    list(APPEND chain ${words} --then)
  endforeach()
  list(APPEND chain ${cmd})
  set(registry_server "${BIN_DIR}/trialmill-registry-server")
  set(run_words bash "${SOURCE_DIR}/tests/cli/with_registry.sh" "${registry_server}"
                "${SOURCE_DIR}/fixtures/registry" ${chain})
else()
  foreach(line IN LISTS setup_lines)
    command_words("${line}" words)
    execute_process(COMMAND ${words} WORKING_DIRECTORY "${WORK}" INPUT_FILE /dev/null
                    RESULT_VARIABLE setup_exit OUTPUT_QUIET ERROR_VARIABLE setup_err)
    if(NOT setup_exit EQUAL 0)
      message(FATAL_ERROR "setup failed (${setup_exit}): ${line}\n${setup_err}")
    endif()
  endforeach()
  set(run_words ${cmd})
endif()

execute_process(COMMAND ${run_words} WORKING_DIRECTORY "${WORK}" ${input_args}
                RESULT_VARIABLE actual_exit OUTPUT_VARIABLE actual_stdout
                ERROR_VARIABLE actual_stderr)

# What varies from run to run, replaced by a placeholder.
function(normalize text out)
  string(REPLACE "${WORK}" "@WORK@" text "${text}")
  string(REPLACE "${SOURCE_DIR}" "@SRC@" text "${text}")
  string(REGEX REPLACE "http://127\\.0\\.0\\.1:[0-9]+" "@BASE@" text "${text}")
  string(REGEX REPLACE "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9](\\.[0-9]+)?Z"
                       "@TIME@" text "${text}")
  string(REGEX REPLACE "[0-9]+\\.[0-9]+ s" "@SECONDS@ s" text "${text}")
  string(REGEX REPLACE "\"seconds\":[0-9.]+" "\"seconds\":@SECONDS@" text "${text}")
  string(REGEX REPLACE "[0-9]+ studies/s" "@RATE@ studies/s" text "${text}")
  string(REGEX REPLACE "pid [0-9]+" "pid @PID@" text "${text}")
  string(REGEX REPLACE " ${VERSION}([ \n])" " @VERSION@\\1" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()
normalize("${actual_stdout}" actual_stdout)
normalize("${actual_stderr}" actual_stderr)

if("$ENV{TRIALMILL_UPDATE_GOLDEN}" STREQUAL "1")
  file(WRITE "${CASE}/exit" "${actual_exit}\n")
  foreach(stream stdout stderr)
    if("${actual_${stream}}" STREQUAL "")
      file(REMOVE "${CASE}/${stream}")
    else()
      file(WRITE "${CASE}/${stream}" "${actual_${stream}}")
    endif()
  endforeach()
  return()
endif()

set(failures "")
file(STRINGS "${CASE}/exit" expected_exit LIMIT_COUNT 1)
if(NOT "${actual_exit}" STREQUAL "${expected_exit}")
  string(APPEND failures "exit code: expected ${expected_exit}, got ${actual_exit}\n")
endif()
foreach(stream stdout stderr)
  set(expected "")
  if(EXISTS "${CASE}/${stream}")
    file(READ "${CASE}/${stream}" expected)
  endif()
  if(NOT "${actual_${stream}}" STREQUAL "${expected}")
    file(WRITE "${WORK}/.actual-${stream}" "${actual_${stream}}")
    file(WRITE "${WORK}/.expected-${stream}" "${expected}")
    execute_process(COMMAND diff -u "${WORK}/.expected-${stream}" "${WORK}/.actual-${stream}"
                    OUTPUT_VARIABLE difference)
    string(APPEND failures "${stream} differs from ${CASE}/${stream}:\n${difference}\n")
  endif()
endforeach()
if(NOT failures STREQUAL "")
  message(FATAL_ERROR "golden CLI case ${CASE}: ${cmd_line}\n${failures}")
endif()
