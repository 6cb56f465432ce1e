import { z } from 'zod';

/**
 * Presets the builder's "view as" offers: whose rows (`presets/*.sc.yml`, a list of security
 * contexts with the roles and environment a token for them would carry) and how it looks
 * (`presets/*.cc.yml`, client contexts: locale, time zone, theme). Pushed with the models.
 */
const presetName = z.string().min(1).max(100);

export const securityContextPresetSchema = z
  .strictObject({
    name: presetName,
    securityContext: z.record(z.string(), z.unknown()),
    roles: z.array(z.string().min(1).max(100)).max(50).optional(),
    environment: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'SecurityContextPreset' });

export const clientContextPresetSchema = z
  .strictObject({ name: presetName, clientContext: z.record(z.string(), z.unknown()) })
  .meta({ id: 'ClientContextPreset' });

export const securityContextPresetFileSchema = z.array(securityContextPresetSchema).max(500);
export const clientContextPresetFileSchema = z.array(clientContextPresetSchema).max(500);

export const presetsSchema = z
  .object({
    securityContexts: z.array(securityContextPresetSchema),
    clientContexts: z.array(clientContextPresetSchema),
  })
  .meta({ id: 'Presets' });

export type SecurityContextPreset = z.infer<typeof securityContextPresetSchema>;
export type ClientContextPreset = z.infer<typeof clientContextPresetSchema>;
export type Presets = z.infer<typeof presetsSchema>;
