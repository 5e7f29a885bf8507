package org.lockspec.validation;

/** Every diagnostic code of the language, in one place; quick fixes and tests use them. */
public interface IssueCodes {

	String PREFIX = "org.lockspec.";

	String DUPLICATE_NAME = PREFIX + "duplicate_name";
	String UNKNOWN_IMPORT = PREFIX + "unknown_import";
	String MODE_NOT_SUPPORTED = PREFIX + "mode_not_supported";
	String MODE_MISSING = PREFIX + "mode_missing";
	String IRQSAVE_ON_SLEEPING_LOCK = PREFIX + "irqsave_on_sleeping_lock";
	String NOT_A_LOCK = PREFIX + "not_a_lock";
	String NOT_A_REFCOUNT = PREFIX + "not_a_refcount";
	String NOT_A_GATE = PREFIX + "not_a_gate";
	String NOT_A_COMPLETION = PREFIX + "not_a_completion";
	String NEVER_COMPLETED = PREFIX + "never_completed";
	String NOT_A_WORK = PREFIX + "not_a_work";
	String BAD_WORK_FUNCTION = PREFIX + "bad_work_function";
	String NOT_AN_SRCU = PREFIX + "not_an_srcu";
	String RCU_DOMAIN = PREFIX + "rcu_domain";
	String NOT_A_WORKQUEUE = PREFIX + "not_a_workqueue";
	String BAD_GUARD = PREFIX + "bad_guard";
	String NOT_A_RUNTIME_PM = PREFIX + "not_a_runtime_pm";
	String BAD_RUNTIME_PM_CALLBACK = PREFIX + "bad_runtime_pm_callback";
	String NO_WORK_ON_QUEUE = PREFIX + "no_work_on_queue";
	String NOT_A_LIST = PREFIX + "not_a_list";
	String UNLOCK_NOT_TAKEN = PREFIX + "unlock_not_taken";
	String WRONG_ARGUMENT_COUNT = PREFIX + "wrong_argument_count";
	String WRONG_ARGUMENT_TYPE = PREFIX + "wrong_argument_type";
	String RECURSION = PREFIX + "recursion";
	String THREAD_ARGUMENT_NOT_INSTANCE = PREFIX + "thread_argument_not_instance";
	String RACE_TARGET_NOT_FIELD = PREFIX + "race_target_not_field";
	String EXPECT_NOT_HERE = PREFIX + "expect_not_here";
	String TYPE_MISMATCH = PREFIX + "type_mismatch";
	String NOT_BOOLEAN = PREFIX + "not_boolean";
	String BAD_FIELD_TYPE = PREFIX + "bad_field_type";
	String NEW_OUTSIDE_LET = PREFIX + "new_outside_let";
	String NOT_A_VALUE = PREFIX + "not_a_value";
	String NOT_ASSIGNABLE = PREFIX + "not_assignable";
	String BUILTIN_ARITY = PREFIX + "builtin_arity";
	String SCENARIO_THREADS = PREFIX + "scenario_threads";
	String SCENARIO_NO_EXPECT = PREFIX + "scenario_no_expect";
	String BAD_BOUND = PREFIX + "bad_bound";
	String ORDER_BY_PARENT = PREFIX + "order_by_parent";
	String DUPLICATE_CONFIG = PREFIX + "duplicate_config";
	String INVARIANT_UNDER_OBJECT_LOCK = PREFIX + "invariant_under_object_lock";
	String KEYWORD_NAME = PREFIX + "keyword_name";
	String BAD_RELEASE_OP = PREFIX + "bad_release_op";
}
