// ServiceMonitor and PodMonitor live in core (the component skeleton creates them); public API of this module.
export * from '../core/monitors';
