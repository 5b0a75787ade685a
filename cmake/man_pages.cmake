# Man pages: docs/man/NAME.md (what a reader browses in the repository) rendered to troff NAME.1 by
# pandoc at build time, so the page installed is always the page in the repository.
find_program(TRIALMILL_PANDOC pandoc)
if(NOT TRIALMILL_PANDOC)
  message(FATAL_ERROR "pandoc is needed to build the man pages (scripts/install-deps.sh installs it)")
endif()

file(GLOB TRIALMILL_MAN_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/man/*.md)
set(TRIALMILL_MAN_PAGES)
foreach(source ${TRIALMILL_MAN_SOURCES})
  get_filename_component(name ${source} NAME_WE)
  set(page ${CMAKE_BINARY_DIR}/man/${name}.1)
  # Compressed as Debian installs man pages (gzip -n: no timestamp, the same bytes every build).
  # The page's first heading ("# trialmill(1)") becomes the title; "## NAME" and the other
  # sections become .SH sections.
  add_custom_command(
    OUTPUT ${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${TRIALMILL_PANDOC} --standalone --from=markdown --to=man --shift-heading-level-by=-1
            --metadata=title:${name} --metadata=section:1 --metadata=header:trialmill
            --metadata=footer:trialmill\ ${PROJECT_VERSION} --output=${page} ${source}
    COMMAND gzip -9nf ${page}
    DEPENDS ${source}
    COMMENT "man page ${name}(1)"
    VERBATIM)
  list(APPEND TRIALMILL_MAN_PAGES ${page}.gz)
endforeach()
add_custom_target(man-pages ALL DEPENDS ${TRIALMILL_MAN_PAGES})
