import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The lease of one engine instance (`InstanceLease`) in `trellis_leases`, replaced in place at
 * every renewal; `_id` is the instance id. It informs who looks alive; it never decides an owner.
 */
@Schema({ collection: 'trellis_leases', versionKey: false, minimize: false })
export class TrellisLease {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  incarnation!: string;

  @Prop({ type: Number, required: true })
  beat!: number;

  @Prop({ type: Date, required: true })
  renewedAt!: Date;

  @Prop({ type: [String], required: true })
  active!: string[];

  @Prop({ type: String, required: true })
  createdUpTo!: string;

  @Prop({ type: Number })
  leaseMs?: number;
}

/** Mongoose schema of `TrellisLease`. */
export const TrellisLeaseSchema = SchemaFactory.createForClass(TrellisLease);
