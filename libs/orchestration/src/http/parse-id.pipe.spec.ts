import { ArgumentMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { newId } from '../ids';
import { toErrorBody } from './orchestration-exception.filter';
import { ParseIdPipe, ParseNodeIdPipe } from './parse-id.pipe';
import { RequestRejectedError } from './request-rejected.error';

const param = (data?: string): ArgumentMetadata => ({ type: 'param', data });

function rejection(run: () => unknown): RequestRejectedError {
  try {
    run();
  } catch (error) {
    return error as RequestRejectedError;
  }
  throw new Error('the value was accepted');
}

describe('id pipes', () => {
  let ids: ParseIdPipe;
  let nodeIds: ParseNodeIdPipe;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      providers: [ParseIdPipe, ParseNodeIdPipe],
    }).compile();
    ids = module.get(ParseIdPipe);
    nodeIds = module.get(ParseNodeIdPipe);
  });

  describe('ParseIdPipe', () => {
    it('passes a 24-character hex id through unchanged', () => {
      const id = newId();
      expect(ids.transform(id, param('id'))).toBe(id);
      expect(ids.transform('674f1c2e9b1e8a0012345678', param('id'))).toBe(
        '674f1c2e9b1e8a0012345678',
      );
    });

    it.each([
      ['too short', '674f1c2e9b1e8a001234567'],
      ['too long', '674f1c2e9b1e8a00123456789'],
      ['not hex', '674f1c2e9b1e8a001234567g'],
      ['empty', ''],
      ['a MongoDB operator', '{"$ne":null}'],
      ['padded', ' 674f1c2e9b1e8a0012345678'],
      ['a path', '../674f1c2e9b1e8a00123456'],
    ])('refuses an id that is %s with 400 INVALID_ID', (_what, value) => {
      const error = rejection(() => ids.transform(value, param('id')));
      expect(error).toBeInstanceOf(RequestRejectedError);
      expect(toErrorBody(error)).toEqual({
        statusCode: 400,
        code: 'INVALID_ID',
        message: 'id must be a 24-character hex id',
        details: [{ path: 'id', code: 'isId', message: 'id must be a 24-character hex id' }],
      });
    });

    it('refuses values that are not strings', () => {
      for (const value of [undefined, null, 42, ['674f1c2e9b1e8a0012345678'], {}]) {
        expect(rejection(() => ids.transform(value, param('id'))).code).toBe('INVALID_ID');
      }
    });

    it('names the parameter in the message and the detail path', () => {
      const error = rejection(() => ids.transform('nope', param('graphId')));
      expect(error.message).toBe('graphId must be a 24-character hex id');
      expect(error.details[0].path).toBe('graphId');
    });

    it('calls the parameter "id" when the route gives it no name', () => {
      expect(rejection(() => ids.transform('nope', param())).details[0].path).toBe('id');
    });
  });

  describe('ParseNodeIdPipe', () => {
    it.each(['build', 'unit-tests', 'a.b:c_d-1', 'X', 'n'.repeat(128)])(
      'passes the node id %s through',
      (value) => {
        expect(nodeIds.transform(value, param('nodeId'))).toBe(value);
      },
    );

    it.each([
      ['empty', ''],
      ['longer than 128 characters', 'n'.repeat(129)],
      ['holding a slash', 'a/b'],
      ['holding a space', 'unit tests'],
      ['holding a $', '$where'],
      ['not a string', 7],
    ])('refuses a node id %s with 400 INVALID_ID', (_what, value) => {
      const error = rejection(() => nodeIds.transform(value, param('nodeId')));
      expect(error).toBeInstanceOf(RequestRejectedError);
      expect(toErrorBody(error)).toMatchObject({
        statusCode: 400,
        code: 'INVALID_ID',
        message: 'nodeId is not a valid node id',
        details: [{ path: 'nodeId', code: 'isNodeId' }],
      });
    });
  });
});
