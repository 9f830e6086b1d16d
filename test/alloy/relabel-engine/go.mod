// relabel-check (test/alloy): Prometheus' relabel package at the version of the Prometheus we ship
// (src/core/images.ts v3.13.2 = module v0.313.2), the same the engines/prometheus build uses.
module cdk8s-lgtm/test/alloy/relabel-engine

go 1.26

require (
	github.com/prometheus/common v0.69.0
	github.com/prometheus/prometheus v0.313.2
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/grafana/regexp v0.0.0-20250905093917-f7b3be9d1853 // indirect
	github.com/prometheus/client_model v0.6.2 // indirect
	golang.org/x/text v0.39.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
