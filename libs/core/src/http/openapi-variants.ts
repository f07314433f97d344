import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * One extra OpenAPI document served beside the main one, at `/<docs path>/<name>/json` (and
 * `/yaml`), listed in the UI's document picker. Libraries register variants (the versioning
 * library registers one per API version) while the app is being created.
 */
export interface OpenApiVariant {
  /** URL segment and picker label, e.g. `v1`. */
  readonly name: string;
  /**
   * Runs synchronously just before the document is scanned (e.g. to hide routes this variant
   * does not have) and returns what undoes it, which runs right after the scan.
   */
  prepare?(): () => void;
  /** Turns the scanned document into this variant's (it may be modified in place). */
  transform?(document: OpenAPIObject): OpenAPIObject;
}

/**
 * The OpenAPI variants of the app: `createKwikApp()` serves each at `/<docs path>/<name>/json`
 * and lists them in the UI at `/<docs path>` (the first registered is shown first).
 *
 * @example
 * constructor(variants: OpenApiVariants) {
 *   variants.register({ name: 'internal', transform: (doc) => ({ ...doc, info: { ...doc.info, title: 'Internal' } }) });
 * }
 */
@Injectable()
export class OpenApiVariants {
  private readonly list: OpenApiVariant[] = [];
  /** Which document the UI shows first (a registered name). @default the first registered */
  primary: string | undefined;

  register(variant: OpenApiVariant): void {
    if (!/^[\w.-]+$/.test(variant.name))
      throw new Error(`OpenAPI variant name "${variant.name}" must be a URL segment ([A-Za-z0-9_.-]+)`);
    if (this.list.some((v) => v.name === variant.name))
      throw new Error(`OpenAPI variant "${variant.name}" is registered twice`);
    this.list.push(variant);
  }

  get all(): readonly OpenApiVariant[] {
    return this.list;
  }
}
