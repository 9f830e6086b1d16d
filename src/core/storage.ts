import { Size } from 'cdk8s';

/**
 * The persistent volume of a component: the one spelling of "size and StorageClass" in the library
 * (every component's `storage` prop).
 */
export interface StorageOptions {
  /** Size of the PersistentVolumeClaim (whole GiB). @default - the component's default (documented on its `storage` prop) */
  readonly size?: Size;
  /** StorageClass of the PersistentVolumeClaim. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}
