# Embeds the built dashboard (web/dist) into the binary as a generated C++ source.
# When web/dist does not exist yet the generated file holds a minimal page saying so.

# The list of files embedded, as a file the generated source depends on: a file removed, or
# renamed with its old mtime (git mv), changes the list but makes no input newer than the
# output. CMake re-runs when a CONFIGURE_DEPENDS glob changes, and file(CONFIGURE) rewrites the
# manifest only when its content differs.
function(ledgerflow_manifest path files)
  string(REPLACE ";" "\n" text "${files}")
  file(CONFIGURE OUTPUT ${path} CONTENT "${text}\n")
endfunction()
set(LEDGERFLOW_WEB_DIST ${CMAKE_SOURCE_DIR}/web/dist CACHE PATH "Built dashboard directory")
set(LEDGERFLOW_ASSETS_CPP ${CMAKE_BINARY_DIR}/generated/embedded_assets.cpp)
file(GLOB_RECURSE LEDGERFLOW_WEB_FILES CONFIGURE_DEPENDS ${LEDGERFLOW_WEB_DIST}/*)
ledgerflow_manifest(${CMAKE_BINARY_DIR}/generated/embedded_assets.list "${LEDGERFLOW_WEB_FILES}")
add_custom_command(
  OUTPUT ${LEDGERFLOW_ASSETS_CPP}
  COMMAND ${CMAKE_COMMAND} -DDIST=${LEDGERFLOW_WEB_DIST} -DOUT=${LEDGERFLOW_ASSETS_CPP}
          -P ${CMAKE_SOURCE_DIR}/cmake/GenerateAssets.cmake
  DEPENDS ${LEDGERFLOW_WEB_FILES} ${CMAKE_BINARY_DIR}/generated/embedded_assets.list
          ${CMAKE_SOURCE_DIR}/cmake/GenerateAssets.cmake
  COMMENT "Embedding dashboard assets")

# The warehouse SQL (sql/migrations, sql/gold), embedded the same way so that the binary works
# from any directory (sinks/embedded_sql.h).
set(LEDGERFLOW_SQL_CPP ${CMAKE_BINARY_DIR}/generated/embedded_sql.cpp)
file(GLOB_RECURSE LEDGERFLOW_SQL_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/sql/*.sql)
ledgerflow_manifest(${CMAKE_BINARY_DIR}/generated/embedded_sql.list "${LEDGERFLOW_SQL_FILES}")
add_custom_command(
  OUTPUT ${LEDGERFLOW_SQL_CPP}
  COMMAND ${CMAKE_COMMAND} -DDIST=${CMAKE_SOURCE_DIR}/sql -DOUT=${LEDGERFLOW_SQL_CPP}
          -DNS=sinks -DFUNC=embedded_sql -DHEADER=sinks/embedded_sql.h
          -P ${CMAKE_SOURCE_DIR}/cmake/GenerateAssets.cmake
  DEPENDS ${LEDGERFLOW_SQL_FILES} ${CMAKE_BINARY_DIR}/generated/embedded_sql.list
          ${CMAKE_SOURCE_DIR}/cmake/GenerateAssets.cmake
  COMMENT "Embedding warehouse SQL")
list(APPEND LEDGERFLOW_ASSETS_CPP ${LEDGERFLOW_SQL_CPP})
