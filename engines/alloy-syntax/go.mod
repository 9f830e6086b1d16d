// Alloy's syntax module (Apache-2.0, its own LICENSE) at the version Alloy v1.18.1 requires (its go.mod:
// github.com/grafana/alloy/syntax v0.1.1), behind a small checker of ours (main.go).
module cdk8s-lgtm/engines/alloy-syntax

go 1.26.5

require github.com/grafana/alloy/syntax v0.1.1

require (
	github.com/fatih/color v1.19.0 // indirect
	github.com/mattn/go-colorable v0.1.15 // indirect
	github.com/mattn/go-isatty v0.0.22 // indirect
	golang.org/x/sys v0.46.0 // indirect
)
