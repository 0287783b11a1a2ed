import {
  applyDecorators,
  UseFilters,
  UseInterceptors,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from './dto/error.response';
import { JsonBodyInterceptor } from './json-body.interceptor';
import { OrchestrationExceptionFilter } from './orchestration-exception.filter';
import { TRELLIS_VALIDATION_OPTIONS } from './validation-exception.factory';

/**
 * What every Trellis controller carries, so it behaves the same when a host app mounts it
 * without global pipes or filters: the error filter, the JSON body check, validation, and the
 * documented auth and error responses.
 */
export function TrellisApi(): ClassDecorator {
  return applyDecorators(
    UseFilters(OrchestrationExceptionFilter),
    UseInterceptors(JsonBodyInterceptor),
    UsePipes(new ValidationPipe(TRELLIS_VALIDATION_OPTIONS)),
    ApiBearerAuth(),
    ApiBadRequestResponse({
      type: ErrorResponseDto,
      description: 'Invalid input; `details` lists each problem',
    }),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Missing or unknown API key' }),
    ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Rate limit exceeded' }),
  );
}
