# Checks that a man page (docs/man/*.md) lists the options its commands' --help prints:
#   cmake -DPAGE=docs/man/trialmill.md -DBIN_DIR=<bin> -P man_options.cmake
# The page's OPTIONS are fenced blocks, each after a line `<!-- options: PROGRAM [SUBCOMMAND] -->`,
# holding exactly the "Options:" part of `PROGRAM [SUBCOMMAND] --help`. A page with subcommands
# must have a block for every subcommand `PROGRAM --help` lists.
cmake_minimum_required(VERSION 3.20)
file(READ "${PAGE}" page)
# CMake lists split on ';': kept out of the way while the page is cut into blocks.
string(REPLACE ";" "<semicolon>" page "${page}")
get_filename_component(program "${PAGE}" NAME_WE)

# The "Options:" part of a command's --help.
function(help_options words out)
  execute_process(COMMAND "${BIN_DIR}/${named}" ${words} --help RESULT_VARIABLE code
                  OUTPUT_VARIABLE help ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${program} ${words} --help exited ${code}: ${err}")
  endif()
  string(FIND "${help}" "\nOptions:\n" begin)
  string(FIND "${help}" "\nExit status:\n" end)
  if(begin EQUAL -1 OR end EQUAL -1)
    message(FATAL_ERROR "${program} ${words} --help has no Options: or Exit status: part")
  endif()
  math(EXPR begin "${begin} + 10")
  math(EXPR length "${end} - ${begin}")
  string(SUBSTRING "${help}" ${begin} ${length} options)
  string(REPLACE ";" "<semicolon>" options "${options}")
  set(${out} "${options}" PARENT_SCOPE)
endfunction()

set(failures "")
set(documented "")
string(REGEX MATCHALL "<!-- options: [^>]* -->\n```text\n[^`]*```" blocks "${page}")
foreach(block IN LISTS blocks)
  string(REGEX MATCH "<!-- options: ([^>]*) -->" _ "${block}")
  separate_arguments(words UNIX_COMMAND "${CMAKE_MATCH_1}")
  list(POP_FRONT words named)
  # trialmill-nightly.md documents `trialmill nightly`; trialmill-export.md both trialmill-export
  # and `trialmill export`.
  set(sub_page "${named}")
  if(words)
    list(GET words 0 first_word)
    set(sub_page "${named}-${first_word}")
  endif()
  if(NOT named STREQUAL program AND NOT sub_page STREQUAL program)
    string(APPEND failures "block for ${named} ${words} in the page of ${program}\n")
    continue()
  endif()
  list(APPEND documented "${words}")
  string(REGEX REPLACE "^<!-- options: [^>]* -->\n```text\n" "" listed "${block}")
  string(REGEX REPLACE "```$" "" listed "${listed}")
  help_options("${words}" expected)
  if(NOT listed STREQUAL expected)
    string(APPEND failures "${program} ${words}: the page lists\n${listed}--help prints\n${expected}\n")
  endif()
endforeach()

# A program of subcommands: every one documented, on its own page PROGRAM-SUBCOMMAND.md (checked
# by that page's own test) or in this one.
if(EXISTS "${BIN_DIR}/${program}")
  execute_process(COMMAND "${BIN_DIR}/${program}" --help OUTPUT_VARIABLE help)
  string(FIND "${help}" "\nSubcommands:\n" at)
else()
  set(at -1)
endif()
if(NOT at EQUAL -1)
  get_filename_component(man_dir "${PAGE}" DIRECTORY)
  string(REGEX MATCHALL "\n  [a-z]+ " names "${help}")
  foreach(name IN LISTS names)
    string(STRIP "${name}" name)
    if(NOT name IN_LIST documented AND NOT EXISTS "${man_dir}/${program}-${name}.md")
      string(APPEND failures "subcommand ${name} has no page ${program}-${name}.md and no options block in ${PAGE}\n")
    endif()
  endforeach()
endif()

# Only the page of a program of subcommands (trialmill.md) may have no block of its own.
if(blocks STREQUAL "" AND at EQUAL -1)
  string(APPEND failures "no `<!-- options: ${program} -->` block in its OPTIONS\n")
endif()

if(NOT failures STREQUAL "")
  message(FATAL_ERROR "${PAGE}:\n${failures}")
endif()
