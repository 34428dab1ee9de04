// Package ports declares the interfaces between authd's core and its
// adapters: the driven ports the application needs (storage, hashing,
// tokens, clock, audit, throttling) and the driving ports it offers.
// Supported API for embedding teams: a team replacing an adapter
// implements these interfaces, held to the suites in test/contract.
package ports
