# The generator: package structure (fast), lint and compile of generated RTL across the
# declared space (rtl), and synthesis of small configurations (slow).
tandem_add_test(t_generator LABEL fast SOURCES t_generator.cpp t_isa.cpp LIBS tandem_generator)
tandem_add_test(t_rtl_tools LABEL rtl SOURCES t_rtl_tools.cpp LIBS tandem_generator)
tandem_add_test(t_rtl_synth LABEL slow SOURCES t_rtl_synth.cpp LIBS tandem_generator)
