# Embeds the built dashboard (web/dist) into the binary as a generated C++ source.
# When web/dist does not exist yet the generated file holds a minimal page saying so.
set(LEDGERFLOW_WEB_DIST ${CMAKE_SOURCE_DIR}/web/dist CACHE PATH "Built dashboard directory")
set(LEDGERFLOW_ASSETS_CPP ${CMAKE_BINARY_DIR}/generated/embedded_assets.cpp)
file(GLOB_RECURSE LEDGERFLOW_WEB_FILES CONFIGURE_DEPENDS ${LEDGERFLOW_WEB_DIST}/*)
add_custom_command(
  OUTPUT ${LEDGERFLOW_ASSETS_CPP}
  COMMAND ${CMAKE_COMMAND} -DDIST=${LEDGERFLOW_WEB_DIST} -DOUT=${LEDGERFLOW_ASSETS_CPP}
          -P ${CMAKE_SOURCE_DIR}/cmake/GenerateAssets.cmake
  DEPENDS ${LEDGERFLOW_WEB_FILES} ${CMAKE_SOURCE_DIR}/cmake/GenerateAssets.cmake
  COMMENT "Embedding dashboard assets")

# The warehouse SQL (sql/migrations, sql/gold), embedded the same way so that the binary works
# from any directory (sinks/embedded_sql.h).
set(LEDGERFLOW_SQL_CPP ${CMAKE_BINARY_DIR}/generated/embedded_sql.cpp)
file(GLOB_RECURSE LEDGERFLOW_SQL_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/sql/*.sql)
add_custom_command(
  OUTPUT ${LEDGERFLOW_SQL_CPP}
  COMMAND ${CMAKE_COMMAND} -DDIST=${CMAKE_SOURCE_DIR}/sql -DOUT=${LEDGERFLOW_SQL_CPP}
          -DNS=sinks -DFUNC=embedded_sql -DHEADER=sinks/embedded_sql.h
          -P ${CMAKE_SOURCE_DIR}/cmake/GenerateAssets.cmake
  DEPENDS ${LEDGERFLOW_SQL_FILES} ${CMAKE_SOURCE_DIR}/cmake/GenerateAssets.cmake
  COMMENT "Embedding warehouse SQL")
list(APPEND LEDGERFLOW_ASSETS_CPP ${LEDGERFLOW_SQL_CPP})
