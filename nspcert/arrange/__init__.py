"""Arrange: the world a scenario needs — people, registers, documents (MedCom's and their variants), the platform's faults and clock, the reference EOJ's variants."""
