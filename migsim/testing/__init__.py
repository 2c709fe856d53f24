from migsim.testing._chooser import HypothesisChooser
from migsim.testing._run import find_failure, run_with_hypothesis
from migsim.testing._parts import machines, address_spaces, task_programs, daemon_sets, policy_combinations
from migsim.testing._scenarios import scenarios
