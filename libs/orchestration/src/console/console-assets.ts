import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiKeyGuard } from '../http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { TRELLIS_CONSOLE_OPTIONS } from './console.constants';
import { resolveConsoleOptions } from './orchestration-console-options.defaults';
import {
  OrchestrationConsoleOptions,
  ResolvedConsoleOptions,
} from './orchestration-console-options.interface';

/** One file the console serves. */
export interface ConsoleFile {
  body: Buffer;
  contentType: string;
  /** True for the content-hashed files under `assets/`. */
  immutable: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Placeholders of the built index.html, filled once at startup. */
const BASE_PLACEHOLDER = /%TRELLIS_BASE%/g;
const API_PLACEHOLDER = /%TRELLIS_API%/g;
const AUTH_PLACEHOLDER = /%TRELLIS_AUTH%/g;

/**
 * The built console, read into memory once at startup (a few hundred KB): index.html, filled in
 * with its mount path for each global prefix it is served under, and the content-hashed files of
 * `assets/`. When the build is missing the
 * server still starts; the console answers 503 naming the command that builds it.
 */
@Injectable()
export class ConsoleAssets implements OnModuleInit {
  private readonly logger = new Logger('TrellisConsole');
  readonly options: ResolvedConsoleOptions;
  /** index.html with only the auth mode filled in; null when the console is not built. */
  private template: string | null = null;
  /** index.html by the global prefix it is served under (one or two in practice). */
  private readonly pages = new Map<string, Buffer>();
  private readonly files = new Map<string, ConsoleFile>();

  constructor(
    @Inject(TRELLIS_CONSOLE_OPTIONS) options: OrchestrationConsoleOptions,
    private readonly moduleRef: ModuleRef,
  ) {
    this.options = resolveConsoleOptions(options);
  }

  onModuleInit(): void {
    const { assetsDir } = this.options;
    const index = join(assetsDir, 'index.html');
    if (!existsSync(index)) {
      this.logger.warn(`Console assets missing in ${assetsDir}: run \`npm run build:console\``);
      return;
    }
    this.template = readFileSync(index, 'utf8').replace(AUTH_PLACEHOLDER, this.authMode());
    const dir = join(assetsDir, 'assets');
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      this.files.set(name, {
        body: readFileSync(join(dir, name)),
        contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
        immutable: true,
      });
    }
  }

  /** Whether the API needs a key, as the host's `ApiKeyGuard` knows (`''`: no guard found). */
  private authMode(): string {
    try {
      return this.moduleRef.get(ApiKeyGuard, { strict: false }).enabled ? 'required' : 'off';
    } catch {
      return '';
    }
  }

  /**
   * The single page (every deep link answers it) for a console served under `prefix` (the
   * host's global prefix, `''` without one): its own path and the API's are under that prefix,
   * as Nest routes are. Null when the console is not built.
   */
  index(prefix: string): Buffer | null {
    if (this.template === null) return null;
    let page = this.pages.get(prefix);
    if (!page) {
      const { path, apiPath } = this.options;
      page = Buffer.from(
        this.template
          .replace(BASE_PLACEHOLDER, `${prefix}${path}`)
          .replace(API_PLACEHOLDER, `${prefix}${apiPath}`),
      );
      this.pages.set(prefix, page);
    }
    return page;
  }

  /** A file of `assets/` by its name; undefined for any other name. */
  asset(name: string): ConsoleFile | undefined {
    return this.files.get(name);
  }
}
