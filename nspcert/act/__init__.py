"""Act: what the employee does in the system under test (through the driver), what the platform's other actors do, and the screen the employee is shown."""
