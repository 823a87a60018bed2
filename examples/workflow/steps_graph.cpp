#include "step.hpp"

namespace tessera_workflow {
void add_graph_steps(step_table&) {}
} // namespace tessera_workflow
