import type { ViteUserConfig } from 'vitest/config';

export declare const REPORT_FILE: string;
export declare const preset: ViteUserConfig;
export declare function vitestConfig(overrides?: ViteUserConfig): ViteUserConfig;
export { requireSystem, type SystemCheck, type SystemPart } from './system.js';
