// relabel-check: runs Prometheus relabel rules (github.com/prometheus/prometheus/model/relabel, the code
// Alloy's discovery.relabel runs) over discovered targets. Test-only.
//
// stdin:  {"rules": [{"source_labels": [...], "separator": ";", "regex": "...", "replacement": "$1",
//          "target_label": "...", "action": "keep"}], "targets": [{"label": "value"}]}
// stdout: [{"label": "value"} | null] — one entry per target, null when a rule dropped it.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/relabel"
)

var version = "dev"

type rule struct {
	SourceLabels []string `json:"source_labels"`
	Separator    *string  `json:"separator"`
	Regex        *string  `json:"regex"`
	Replacement  *string  `json:"replacement"`
	TargetLabel  string   `json:"target_label"`
	Action       string   `json:"action"`
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--version" {
		fmt.Printf("relabel-check, version %s (github.com/prometheus/prometheus/model/relabel)\n", version)
		return
	}
	var in struct {
		Rules   []rule              `json:"rules"`
		Targets []map[string]string `json:"targets"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "relabel-check: bad input:", err)
		os.Exit(2)
	}
	var cfgs []*relabel.Config
	for i, r := range in.Rules {
		c := relabel.DefaultRelabelConfig
		c.NameValidationScheme = model.UTF8Validation
		if r.Separator != nil {
			c.Separator = *r.Separator
		}
		if r.Regex != nil {
			re, err := relabel.NewRegexp(*r.Regex)
			if err != nil {
				fmt.Fprintf(os.Stderr, "relabel-check: rule %d: %v\n", i, err)
				os.Exit(1)
			}
			c.Regex = re
		}
		if r.Replacement != nil {
			c.Replacement = *r.Replacement
		}
		if r.Action != "" {
			c.Action = relabel.Action(r.Action)
		}
		c.TargetLabel = r.TargetLabel
		for _, l := range r.SourceLabels {
			c.SourceLabels = append(c.SourceLabels, model.LabelName(l))
		}
		if err := c.Validate(model.UTF8Validation); err != nil {
			fmt.Fprintf(os.Stderr, "relabel-check: rule %d: %v\n", i, err)
			os.Exit(1)
		}
		cfgs = append(cfgs, &c)
	}
	out := make([]map[string]string, len(in.Targets))
	for i, t := range in.Targets {
		lb := labels.NewBuilder(labels.FromMap(t))
		if relabel.ProcessBuilder(lb, cfgs...) {
			out[i] = lb.Labels().Map()
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(1)
	}
}
