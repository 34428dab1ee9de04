// Package application holds authd's use cases: it orchestrates the domain
// rules and the ports, and knows nothing of HTTP, SQL or JWT libraries.
// Internal to authd; no compatibility promise: teams reach the use cases
// through the driving ports on the root's App.
package application
