# `make install` (cmake --install) and `make deb` (CPack): the executables, their man pages, the
# example configurations and the systemd units of docs/operations.md, in the places Debian uses.
include(GNUInstallDirs)
include(${CMAKE_CURRENT_LIST_DIR}/man_pages.cmake)

install(TARGETS trialmill trialmill-fetch trialmill-parse trialmill-normalize trialmill-store
                trialmill-export
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${TRIALMILL_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# /etc/trialmill/live.json is the file the service reads, under /etc whatever the prefix (a conffile
# in the package: an edited copy survives upgrades); both configurations are also kept as examples.
install(FILES config/live.json DESTINATION /etc/trialmill)
install(FILES config/live.json config/offline.json
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES README.md docs/operations.md docs/schema.md docs/fetch.md docs/postgres.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The units are written at install time, so that they name the binary where this install put it
# (/usr/bin from the package, /usr/local/bin from `make install`); systemd reads units from
# PREFIX/lib/systemd/system for both prefixes.
set(TRIALMILL_UNIT_TEMPLATE ${PROJECT_SOURCE_DIR}/config/systemd/trialmill-nightly.service.in)
set(TRIALMILL_UNIT_OUT ${CMAKE_BINARY_DIR}/systemd/trialmill-nightly.service)
install(CODE "
  set(TRIALMILL_BINDIR \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
  configure_file(\"${TRIALMILL_UNIT_TEMPLATE}\" \"${TRIALMILL_UNIT_OUT}\" @ONLY)")
install(FILES ${TRIALMILL_UNIT_OUT} config/systemd/trialmill-nightly.timer
        DESTINATION lib/systemd/system)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME trialmill)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "trialmill maintainers <trialmill@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "clinical-trial registry scraper: many page formats into one SQLite database")
set(CPACK_PACKAGE_DESCRIPTION
    "trialmill fetches clinical-trial registry and aggregator pages, parses their HTML and text into
one schema, normalizes the values and keeps an SQLite database with field provenance and change
history, for nightly runs, single-trial re-ingests and downstream readers.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Debug information stays in the build tree, not in what users install.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Dependencies are the Debian packages of the shared libraries the binaries link (dpkg-shlibdeps).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "sqlite3")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Absolute destinations (/etc/trialmill) go into the package, not into this machine.
set(CPACK_SET_DESTDIR ON)
# /etc/trialmill/live.json is a conffile: a user's edits survive an upgrade.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/config/debian/conffiles)
include(CPack)
