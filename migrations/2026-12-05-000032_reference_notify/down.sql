DROP TRIGGER IF EXISTS states_notify ON states;
DROP FUNCTION IF EXISTS govgraph_notify_reference();
