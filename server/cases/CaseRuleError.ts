/**
 * A case rule refused: the workflow, intake, photos or the case service (reason `stage` for a case
 * not in a status that allows the action, `forbidden` for a role or department, `invalid` for a
 * field, …). The root error handler (server/errors.ts) turns it into HTTP.
 */
import { DomainError } from '../../domain/DomainError';

export class CaseRuleError extends DomainError {}
