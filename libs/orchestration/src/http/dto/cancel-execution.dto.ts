import { ActionReasonDto } from './action-reason.dto';

/** Body of `POST /executions/:id/cancel`; the reason (default `cancelled by request`) is also the execution's error. */
export class CancelExecutionDto extends ActionReasonDto {}
