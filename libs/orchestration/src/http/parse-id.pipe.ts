import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { NODE_ID_PATTERN } from '../graph/node-definition.checks';
import { isId } from '../ids';
import { RequestRejectedError } from './request-rejected.error';

/** Refuses a graph or execution id that is not a 24-character hex id before it reaches a query. */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && isId(value)) return value;
    const name = metadata.data ?? 'id';
    throw new RequestRejectedError('INVALID_ID', `${name} must be a 24-character hex id`, [
      { path: name, code: 'isId', message: `${name} must be a 24-character hex id` },
    ]);
  }
}

/** Refuses a node id that no graph could hold. */
@Injectable()
export class ParseNodeIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && NODE_ID_PATTERN.test(value)) return value;
    const name = metadata.data ?? 'nodeId';
    throw new RequestRejectedError('INVALID_ID', `${name} is not a valid node id`, [
      { path: name, code: 'isNodeId', message: `${name} must match ${String(NODE_ID_PATTERN)}` },
    ]);
  }
}
