// Orders the suites for jest's workers (jest config `testSequencer`). jest runs the slowest suites first
// when its cache holds their durations (and failed ones before those); on a machine without that cache it
// falls back to file size, which would start the control-plane suite (a small file, the longest suite by
// far) last, so the run would end with one worker busy and the others idle. Suites under LONG_RUNNING go
// first whatever the cache says; the order of everything else is jest's own.
'use strict';
const Sequencer = require('@jest/test-sequencer').default;

const LONG_RUNNING = [/[\\/]test[\\/]control-plane[\\/]/];

class LongRunningFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const first = sorted.filter((t) => LONG_RUNNING.some((re) => re.test(t.path)));
    return [...first, ...sorted.filter((t) => !first.includes(t))];
  }
}

module.exports = LongRunningFirst;
