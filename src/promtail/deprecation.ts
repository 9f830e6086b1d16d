import { IConstruct } from 'constructs';

/** The one-line deprecation note printed at synth. */
export const PROMTAIL_DEPRECATION =
  'Promtail reached end of life on 2026-03-02; use AlloyLogs (migrate with `alloy convert --source-format=promtail`)';
/** Metadata type of synth-time warnings (the same idea as aws-cdk's `Annotations.addWarning`). */
export const WARNING_METADATA = 'cdk8s-lgtm:warning';

/**
 * Adds a warning to a construct (node metadata `cdk8s-lgtm:warning`) and prints it once when the app
 * synthesizes. constructs 10 has no `Annotations` class (that lives in aws-cdk-lib), so this is the
 * library's equivalent.
 */
export function addSynthWarning(scope: IConstruct, message: string): void {
  scope.node.addMetadata(WARNING_METADATA, message);
  let printed = false;
  scope.node.addValidation({
    validate: () => {
      if (!printed) {
        printed = true;
        console.warn(`[WARNING] ${scope.node.path}: ${message}`);
      }
      return [];
    },
  });
}
