import { isConnectivityError, isDuplicateKeyError, isRefusal, writeErrorsOf } from './mongo-errors';

/** An error of the shape the MongoDB driver throws, as seen against FerretDB through a cut proxy. */
function driverError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name }, extra);
}

describe('MongoDB error classification', () => {
  it('takes a bulk write error with an empty list of write errors for a broken connection, not for "all stored"', () => {
    const cut = driverError('MongoBulkWriteError', 'connection 1 to 127.0.0.1:45705 closed', {
      writeErrors: [],
      errorLabels: ['ResetPool'],
    });
    const later = driverError(
      'MongoBulkWriteError',
      'connection <monitor> to 127.0.0.1:45705 closed',
      {
        writeErrors: [],
        errorLabels: [],
      },
    );
    for (const error of [cut, later]) {
      expect(writeErrorsOf(error)).toBeNull();
      expect(isConnectivityError(error)).toBe(true);
      expect(isRefusal(error)).toBe(false);
      expect(isDuplicateKeyError(error)).toBe(false);
    }
  });

  it('knows broken sockets by code and by message, also as the cause', () => {
    expect(
      isConnectivityError(
        driverError('Error', 'This socket has been ended by the other party', { code: 'EPIPE' }),
      ),
    ).toBe(true);
    expect(isConnectivityError(driverError('MongoNetworkError', 'read ECONNRESET'))).toBe(true);
    expect(
      isConnectivityError(
        driverError('Error', 'wrapped', {
          cause: driverError('Error', 'x', { code: 'ECONNREFUSED' }),
        }),
      ),
    ).toBe(true);
    expect(
      isConnectivityError(
        driverError('MongoServerError', 'invalid value (nested arrays are not supported)', {
          code: 2,
        }),
      ),
    ).toBe(false);
  });

  it('takes per-document errors, duplicate keys and documents the server or the driver will not take for refusals', () => {
    const bulk = driverError('MongoBulkWriteError', 'E11000', {
      writeErrors: [
        { index: 0, code: 11000, errmsg: 'duplicate key' },
        { index: 2, code: 2, errmsg: 'nested arrays are not supported' },
      ],
    });
    expect(writeErrorsOf(bulk)).toEqual([
      { index: 0, code: 11000, message: 'duplicate key' },
      { index: 2, code: 2, message: 'nested arrays are not supported' },
    ]);
    expect(isDuplicateKeyError(bulk)).toBe(false);
    expect(isDuplicateKeyError(driverError('MongoServerError', 'E11000', { code: 11000 }))).toBe(
      true,
    );
    expect(
      isRefusal(
        driverError(
          'MongoInvalidArgumentError',
          'Document is larger than the maximum size 16777216',
        ),
      ),
    ).toBe(true);
    const range = new RangeError('The value of "offset" is out of range.');
    expect(isRefusal(range)).toBe(true);
    expect(isRefusal(driverError('Error', 'something else'))).toBe(false);
  });
});
