import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { DuplicateNodeHandlerError } from '../errors';
import { RunWhen } from '../graph/graph-definition.interface';
import { NodeTypeHandler, NodeHandlerOptions } from './node-type-handler.interface';

/** A handler as registered: the instance, its options and the class it came from. */
export interface RegisteredNodeHandler {
  type: string;
  handler: NodeTypeHandler;
  runWhen: RunWhen;
  /** See `NodeHandlerOptions.awaitsSignal`. */
  awaitsSignal?: (config: any) => boolean;
  configClass?: new () => object;
  className: string;
}

/**
 * The runtime table of node types, filled by `NodeHandlerExplorer` at startup.
 * Also validates node configs against each type's DTO (results memoised per distinct config).
 */
@Injectable()
export class NodeHandlerRegistry {
  private readonly handlers = new Map<string, RegisteredNodeHandler>();
  private readonly configVerdicts = new Map<string, string[]>();

  /** Adds a handler. @throws DuplicateNodeHandlerError when the type is taken. */
  register(type: string, handler: NodeTypeHandler, options: NodeHandlerOptions = {}): void {
    const className = handler.constructor.name;
    const existing = this.handlers.get(type);
    if (existing) throw new DuplicateNodeHandlerError(type, existing.className, className);
    this.handlers.set(type, {
      type,
      handler,
      className,
      runWhen: options.runWhen ?? 'allSucceeded',
      awaitsSignal: options.awaitsSignal,
      configClass: options.config,
    });
  }

  /** The handler of a type, or undefined. */
  get(type: string): RegisteredNodeHandler | undefined {
    return this.handlers.get(type);
  }

  /** Registered node types, sorted. */
  types(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /**
   * Checks a config against the type's DTO.
   * @returns one message per broken constraint (empty when valid); `property` paths are relative to the config.
   */
  validateConfig(type: string, config: unknown): string[] {
    const entry = this.handlers.get(type);
    if (!entry?.configClass) return [];
    const key = `${type}\u0000${JSON.stringify(config)}`;
    let verdict = this.configVerdicts.get(key);
    if (!verdict) {
      const instance = plainToInstance(entry.configClass, config ?? {});
      const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
      verdict = flatten(errors, '');
      if (this.configVerdicts.size > 10_000) this.configVerdicts.clear();
      this.configVerdicts.set(key, verdict);
    }
    return verdict;
  }
}

function flatten(errors: ValidationError[], prefix: string): string[] {
  const out: string[] = [];
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) out.push(`${path}: ${message}`);
    if (error.children?.length) out.push(...flatten(error.children, path));
  }
  return out;
}
