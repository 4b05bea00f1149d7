import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { dump } from 'js-yaml';

/** Holds the generated OpenAPI document and its two serialisations (built once at start). */
@Injectable()
export class OpenApiDocument {
  private json = '{}';
  private yaml = '';
  private document: OpenAPIObject | undefined;

  set(document: OpenAPIObject): void {
    this.document = document;
    this.json = JSON.stringify(document);
    this.yaml = dump(JSON.parse(this.json), { noRefs: true, lineWidth: 120 });
  }

  get(): OpenAPIObject | undefined {
    return this.document;
  }

  asJson(): string {
    return this.json;
  }

  asYaml(): string {
    return this.yaml;
  }
}
