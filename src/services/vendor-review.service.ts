import { loadCatalogueFile, loadCatalogueFolder, readText } from '../adapters/catalogue-folder.js';
import { headerSafe } from '../core/escape.js';
import { UserError } from '../core/errors.js';
import type { RequirementCatalogue } from '../core/requirement-catalogue.js';
import { parseReviewAnswers, type Answer } from '../core/review-answers.js';
import { evaluateReview, type ReviewEvaluation, type ReviewVerdict } from '../core/review-evaluation.js';
import { reviewStanding, type ReviewStanding, type StoredReview } from '../core/review-standing.js';
import { nextReviewDue, type RiskTier } from '../core/vendor-risk.js';
import { needsReviews } from '../core/vendor-status.js';
import type { VendorReviewRow } from '../db/vendor-review.repository.js';
import { recordAudit } from './audit.js';
import { parseInstant } from './incident.service.js';
import type { ServiceDeps } from './service-deps.js';
import { exposureOf } from './vendor-risk.service.js';
import { findVendor, toVendor } from './vendor.service.js';

export interface VendorReviewServiceDeps extends ServiceDeps {
  /** The catalogues `--catalogue VERSION` names; the shipped ones when absent. */
  catalogues?: RequirementCatalogue[];
}

export interface ReviewInput {
  vendor: string;
  /** A version of a shipped catalogue (`2`, `v2`) or a catalogue file. */
  catalogue: string;
  answersFile: string;
  reviewer?: string | undefined;
  at?: string | undefined;
}

export interface RecordedReview {
  id: string;
  vendor: string;
  reviewer: string;
  reviewedAt: string;
  evaluation: ReviewEvaluation;
  findings: number;
  risk: { tier: RiskTier; cadenceMonths: number; reason: string };
  nextDue: string;
}

export class VendorReviewService {
  private shipped: RequirementCatalogue[] | undefined;

  constructor(private readonly deps: VendorReviewServiceDeps) {}

  /** Judges a vendor's answers against a catalogue and records the review with its findings. */
  async review(input: ReviewInput): Promise<RecordedReview> {
    const catalogue = this.chooseCatalogue(input.catalogue);
    const parsed = parseReviewAnswers(readText(input.answersFile, 'answers'), input.answersFile, catalogue);
    const now = this.deps.clock.now().toISOString();
    const reviewedAt = input.at === undefined ? now : parseInstant(input.at, '--at');
    if (reviewedAt > now) throw new UserError(`--at ${reviewedAt} is in the future`);
    const reviewer = headerSafe(input.reviewer ?? this.deps.actor);
    if (reviewer === '') throw new UserError('--reviewer must not be empty');
    return this.deps.uow.transaction(async (repos) => {
      const vendorRow = await findVendor(repos, input.vendor);
      const vendor = toVendor(vendorRow);
      const evaluation = evaluateReview(catalogue, { ...parsed, categories: vendor.categories });
      const review: VendorReviewRow = {
        id: this.deps.ids.next('rev'),
        vendor_id: vendor.id,
        catalogue_name: catalogue.name,
        catalogue_version: catalogue.version,
        catalogue: JSON.stringify(catalogue),
        answers: JSON.stringify(parsed.answers),
        evidence: JSON.stringify(parsed.evidence),
        verdict: evaluation.verdict,
        met: evaluation.met,
        not_met: evaluation.notMet,
        unknown: evaluation.unknown,
        reviewer,
        reviewed_at: reviewedAt,
        recorded_at: now,
      };
      await repos.vendorReviews.insert(review);
      await repos.vendorReviews.insertFindings(
        parsed.findings.map((finding) => ({
          id: this.deps.ids.next('fnd'),
          review_id: review.id,
          vendor_id: vendor.id,
          requirement_id: finding.requirement,
          severity: finding.severity,
          title: finding.title,
          due_at: finding.due,
          status: 'open',
          closed_at: null,
          closed_by: null,
          resolution: null,
        })),
      );
      await recordAudit(repos, this.deps, 'vendor.review', null, {
        vendorId: vendor.id,
        reviewId: review.id,
        catalogue: `${catalogue.name} v${catalogue.version}`,
        verdict: evaluation.verdict,
        met: evaluation.met,
        notMet: evaluation.notMet,
        unknown: evaluation.unknown,
        findings: parsed.findings.length,
      });
      const { risk } = await exposureOf(repos, vendorRow);
      return {
        id: review.id,
        vendor: vendor.name,
        reviewer,
        reviewedAt,
        evaluation,
        findings: parsed.findings.length,
        risk: { tier: risk.tier, cadenceMonths: risk.cadenceMonths, reason: risk.reason },
        nextDue: nextReviewDue(reviewedAt, risk.cadenceMonths),
      };
    });
  }

  /**
   * Vendors whose review is overdue (by the cadence of their current risk), missing, failing, short
   * of a newer catalogue version, or with findings past due; with `all`, every vendor.
   */
  async reviews(
    options: { catalogueFile?: string | undefined; all?: boolean } = {},
  ): Promise<ReviewStanding[]> {
    const { repos } = this.deps.uow;
    const now = this.deps.clock.now().toISOString();
    const known = [
      ...this.catalogues(),
      ...(options.catalogueFile ? [loadCatalogueFile(options.catalogueFile)] : []),
    ];
    const latest = new Map((await repos.vendorReviews.latestPerVendor()).map((row) => [row.vendor_id, row]));
    const overdueFindings = await repos.vendorReviews.openFindingsDueBefore(now);
    const standings: ReviewStanding[] = [];
    for (const row of await repos.vendors.list()) {
      const vendor = toVendor(row);
      if (!needsReviews(vendor.status) && !options.all) continue;
      const review = latest.get(vendor.id);
      const standing = reviewStanding({
        now,
        vendor,
        risk: (await exposureOf(repos, row)).risk,
        review: review ? storedReview(review) : null,
        catalogues: known,
        overdueFindings: overdueFindings
          .filter((finding) => finding.vendor_id === vendor.id)
          .map((f) => ({
            id: f.id,
            title: f.title,
            severity: f.severity,
            due: f.due_at,
            requirement: f.requirement_id,
          })),
      });
      if (options.all || standing.problems.length > 0) standings.push(standing);
    }
    return standings;
  }

  /** Closes a finding once it is fixed or accepted; it then no longer counts as overdue. */
  async closeFinding(input: { id: string; resolution?: string | undefined }) {
    const resolution = input.resolution === undefined ? null : headerSafe(input.resolution) || null;
    return this.deps.uow.transaction(async (repos) => {
      const finding = await repos.vendorReviews.findFinding(input.id.trim());
      if (!finding) throw new UserError(`unknown finding ${headerSafe(input.id)}`);
      if (finding.status !== 'open') throw new UserError(`finding ${finding.id} is already closed`);
      const closure = {
        closed_at: this.deps.clock.now().toISOString(),
        closed_by: this.deps.actor,
        resolution,
      };
      await repos.vendorReviews.closeFinding(finding.id, closure);
      await recordAudit(repos, this.deps, 'vendor.finding-close', null, {
        vendorId: finding.vendor_id,
        findingId: finding.id,
      });
      return { ...finding, status: 'closed', ...closure };
    });
  }

  private catalogues(): RequirementCatalogue[] {
    return this.deps.catalogues ?? (this.shipped ??= loadCatalogueFolder());
  }

  /** `2` or `v2` names a shipped version; anything else is a catalogue file. */
  private chooseCatalogue(spec: string): RequirementCatalogue {
    const version = /^v?(\d+)$/i.exec(spec.trim());
    if (!version) return loadCatalogueFile(spec);
    const matches = this.catalogues().filter((catalogue) => catalogue.version === Number(version[1]));
    if (matches.length === 1) return matches[0]!;
    const available = this.catalogues().map((catalogue) => `${catalogue.name} v${catalogue.version}`);
    throw new UserError(
      matches.length === 0
        ? `--catalogue: no shipped catalogue has version ${version[1]}`
        : `--catalogue: several catalogues have version ${version[1]}: give the file`,
      { available: available.join(', ') },
    );
  }
}

function storedReview(row: VendorReviewRow): StoredReview {
  return {
    id: row.id,
    reviewedAt: row.reviewed_at,
    catalogue: JSON.parse(row.catalogue) as RequirementCatalogue,
    answers: JSON.parse(row.answers) as Record<string, Answer>,
    evidence: JSON.parse(row.evidence) as Record<string, string>,
    verdict: row.verdict as ReviewVerdict,
    notMet: row.not_met,
    unknown: row.unknown,
  };
}
