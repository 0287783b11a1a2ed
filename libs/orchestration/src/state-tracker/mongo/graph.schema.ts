import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { GraphDefinition } from '../../graph/graph-definition.interface';

/** A stored graph definition (`GraphRecord`) in `trellis_graphs`; `_id` is the graph id. */
@Schema({ collection: 'trellis_graphs', versionKey: false, minimize: false })
export class TrellisGraph {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  definition!: GraphDefinition;

  @Prop({ type: Date, required: true })
  createdAt!: Date;
}

/** Mongoose schema of `TrellisGraph`. */
export const TrellisGraphSchema = SchemaFactory.createForClass(TrellisGraph);
