# igz_add_plugin(NAME SOURCES...): one plugin, one .so named NAME.so (no "lib"
# prefix), built into build/plugins/NAME/ and installed into the plugin dir.
function(igz_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE iguazu)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/plugins/${name})
  install(TARGETS ${name} LIBRARY DESTINATION ${IGZ_PLUGIN_INSTALL_DIR})
endfunction()
