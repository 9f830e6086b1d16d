/** A reference to one key of a Kubernetes Secret. */
export interface SecretKeyReference {
  /** Name of the Secret (in the namespace of the component that reads it). */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}
