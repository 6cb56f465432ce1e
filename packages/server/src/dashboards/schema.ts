import { memberNameSchema, timeDimensionSchema } from '@inlay/core';
import { z } from 'zod';

/**
 * A dashboard as code (`*.embeddable.yml`, root `embeddables:`). Datasets name the cubes and
 * views the dashboard may query; a security token for it can read those and nothing else.
 */
const slug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, _ and - (starting with a letter or digit)');
const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a cube or view name (letters, digits, _)');

export const datasetSchema = z.strictObject({
  name: slug,
  model: identifier.describe('The cube or view the dataset reads.'),
});

export const widgetSchema = z.strictObject({
  component: z.string().min(1).max(200),
  dataset: slug,
  inputs: z
    .strictObject({
      measures: z.array(memberNameSchema).optional(),
      dimensions: z.array(memberNameSchema).optional(),
      timeDimensions: z.array(timeDimensionSchema).optional(),
    })
    .catchall(z.unknown())
    .default({}),
});

export const dashboardSchema = z.strictObject({
  id: slug.optional().describe('Defaults to the name.'),
  name: slug,
  title: z.string().max(200).optional(),
  version: slug.default('v1'),
  datasets: z.array(datasetSchema).min(1),
  widgets: z.array(widgetSchema).default([]),
});

export const dashboardFileSchema = z.strictObject({
  embeddables: z.array(dashboardSchema).min(1),
});

export type DashboardDef = z.output<typeof dashboardSchema>;
