"""Labor contracts: contracts per employee, amendments with generated documents that the
employee confirms, and the expiry watch."""
