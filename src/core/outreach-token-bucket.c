/* outreach-token-bucket.c — a rate limit in messages per second
 *
 * One bucket per account is shared by every job of that account in the
 * process (outreach_token_bucket_for_account), so two jobs on one account
 * together keep its limit; a job with a lower rate of its own takes from
 * its own bucket too. Thread-safe: jobs run in threads of their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-token-bucket"

#include "config.h"

#include "outreach-token-bucket.h"

struct _OutreachTokenBucket
{
  gatomicrefcount ref_count;
  GMutex mutex;
  double rate;          /* tokens per second; 0 = no limit */
  double configured;    /* the rate before any 429 slowed it down */
  double tokens;
  double burst;
  gint64 last_us;
  gint64 blocked_until_us; /* a 429 told the account to wait */
  gint64 slowed_until_us;
};

/* After a 429 the account runs at half its rate for this long. */
#define SLOW_DOWN_US (30 * G_USEC_PER_SEC)

OutreachTokenBucket *
outreach_token_bucket_new (double rate)
{
  OutreachTokenBucket *self = g_new0 (OutreachTokenBucket, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  outreach_token_bucket_set_rate (self, rate);
  self->configured = self->rate;
  self->tokens = self->burst;
  return self;
}

OutreachTokenBucket *
outreach_token_bucket_ref (OutreachTokenBucket *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
outreach_token_bucket_unref (OutreachTokenBucket *self)
{
  if (self != NULL && g_atomic_ref_count_dec (&self->ref_count))
    {
      g_mutex_clear (&self->mutex);
      g_free (self);
    }
}

static GMutex registry_mutex;
static GHashTable *registry; /* account id → bucket (a ref) */

/**
 * outreach_token_bucket_for_account:
 *
 * Returns: (transfer full): the process-wide bucket of account
 *   @account_id, its rate updated to @rate
 */
OutreachTokenBucket *
outreach_token_bucket_for_account (gint64 account_id,
                                   double rate)
{
  OutreachTokenBucket *bucket;

  g_mutex_lock (&registry_mutex);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                      (GDestroyNotify) outreach_token_bucket_unref);
  bucket = g_hash_table_lookup (registry, &account_id);
  if (bucket == NULL)
    {
      bucket = outreach_token_bucket_new (rate);
      g_hash_table_insert (registry, g_memdup2 (&account_id, sizeof account_id), bucket);
    }
  else if (bucket->configured != rate)
    {
      g_mutex_lock (&bucket->mutex);
      bucket->configured = rate;
      g_mutex_unlock (&bucket->mutex);
      outreach_token_bucket_set_rate (bucket, rate);
    }
  outreach_token_bucket_ref (bucket);
  g_mutex_unlock (&registry_mutex);
  return bucket;
}

void
outreach_token_bucket_set_rate (OutreachTokenBucket *self,
                                double               rate)
{
  g_mutex_lock (&self->mutex);
  self->rate = MAX (rate, 0);
  /* A burst of one second's worth (at least one message) keeps the
   * average exact without sending a long backlog at once. */
  self->burst = MAX (1.0, self->rate);
  self->tokens = MIN (self->tokens, self->burst);
  g_mutex_unlock (&self->mutex);
}

double
outreach_token_bucket_get_rate (OutreachTokenBucket *self)
{
  double rate;

  g_mutex_lock (&self->mutex);
  rate = self->rate;
  g_mutex_unlock (&self->mutex);
  return rate;
}

/**
 * outreach_token_bucket_take:
 *
 * Takes @count tokens if they are there. Returns 0 when taken, else how
 * many microseconds to wait before asking again (nothing taken).
 */
gint64
outreach_token_bucket_take (OutreachTokenBucket *self,
                            guint                count,
                            gint64               now_us)
{
  gint64 wait = 0;

  g_mutex_lock (&self->mutex);

  if (self->blocked_until_us > now_us)
    {
      wait = self->blocked_until_us - now_us;
      goto out;
    }
  if (self->slowed_until_us != 0 && self->slowed_until_us <= now_us)
    {
      self->slowed_until_us = 0;
      self->rate = self->configured;
      self->burst = MAX (1.0, self->rate);
    }
  if (self->rate <= 0)
    goto out;

  if (self->last_us != 0)
    self->tokens = MIN (self->burst, self->tokens + (now_us - self->last_us) * self->rate / G_USEC_PER_SEC);
  self->last_us = now_us;

  /* a batch larger than the burst waits for a full bucket, then goes */
  if (self->tokens >= MIN ((double) count, self->burst))
    self->tokens -= count;
  else
    wait = (gint64) ((MIN ((double) count, self->burst) - self->tokens) * G_USEC_PER_SEC / self->rate) + 1;

out:
  g_mutex_unlock (&self->mutex);
  return wait;
}

/**
 * outreach_token_bucket_slow_down:
 * @wait_us: how long the provider asked to wait (0 when it did not say)
 *
 * A 429: a limited account runs at half its rate (never below an eighth)
 * for 30 s. The refused recipient itself waits its Retry-After in
 * retry-wait; blocking the whole account as well would turn a provider's
 * occasional 429 into a stall. An account with no limit stays unlimited.
 */
void
outreach_token_bucket_slow_down (OutreachTokenBucket *self,
                                 gint64               wait_us,
                                 gint64               now_us)
{
  g_mutex_lock (&self->mutex);
  if (self->configured > 0)
    {
      self->rate = MAX (self->configured / 8, MIN (self->rate, self->configured) / 2);
      self->burst = MAX (1.0, self->rate);
      self->tokens = MIN (self->tokens, self->burst);
      self->slowed_until_us = now_us + SLOW_DOWN_US;
    }
  g_mutex_unlock (&self->mutex);
}
