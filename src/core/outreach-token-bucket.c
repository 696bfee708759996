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

  /* What was taken in the last second (the current one-second window and
   * the one before it), so that a 429 on an account with no limit can set
   * one from the rate it was really sending at. */
  gint64 window_start_us;
  gint64 active_since_us;  /* taking without a pause of 2 s since */
  double window_count;
  double prev_count;
  double seen_before;      /* no-limit account slowed by a 429: the rate it had */
  gint64 recover_at_us;    /* …its temporary limit doubles at this time */
};

/* After a 429 a limited account runs at half its rate for this long. */
#define SLOW_DOWN_US (30 * G_USEC_PER_SEC)
/* An account with no limit gets a temporary one after a 429: half the rate
 * seen in the last second, doubling every RECOVER_STEP_US until it is back
 * where it was, when the limit goes away. A 429 while the limit holds
 * changes nothing: a provider that answers some share of requests with 429
 * whatever the rate would otherwise bring the account down to one message
 * a second. */
#define RECOVER_STEP_US (5 * G_USEC_PER_SEC)

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

/* Keeps the count of what was taken in one-second windows. */
static void
count_taken (OutreachTokenBucket *self,
             guint                count,
             gint64               now_us)
{
  if (self->window_start_us == 0 || now_us - self->window_start_us >= 2 * G_USEC_PER_SEC)
    {
      self->prev_count = 0;
      self->window_count = 0;
      self->window_start_us = now_us;
      self->active_since_us = now_us;
    }
  else if (now_us - self->window_start_us >= G_USEC_PER_SEC)
    {
      self->prev_count = self->window_count;
      self->window_count = 0;
      self->window_start_us += G_USEC_PER_SEC;
    }
  self->window_count += count;
}

/* The rate of the last second: what was taken in it (the older window
 * counts for the part of it still within that second), per second of it
 * the account was sending — a 429 a moment after a job started must not
 * take the few messages sent so far for a second's worth. */
static double
taken_last_second (OutreachTokenBucket *self,
                   gint64               now_us)
{
  double into, active;

  count_taken (self, 0, now_us);
  into = (double) (now_us - self->window_start_us) / G_USEC_PER_SEC;
  active = (double) (now_us - self->active_since_us) / G_USEC_PER_SEC;
  return (self->window_count + self->prev_count * (1.0 - CLAMP (into, 0.0, 1.0))) /
         CLAMP (active, 0.01, 1.0);
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
  while (self->configured <= 0 && self->rate > 0 && self->recover_at_us <= now_us)
    {
      self->rate *= 2;
      self->burst = MAX (1.0, self->rate);
      self->recover_at_us += RECOVER_STEP_US;
      if (self->rate >= self->seen_before)
        {
          self->rate = 0;  /* recovered: no limit again */
          self->burst = 1.0;
        }
    }
  if (self->rate <= 0)
    {
      count_taken (self, count, now_us);
      goto out;
    }

  if (self->last_us != 0)
    self->tokens = MIN (self->burst, self->tokens + (now_us - self->last_us) * self->rate / G_USEC_PER_SEC);
  self->last_us = now_us;

  /* a batch larger than the burst waits for a full bucket, then goes */
  if (self->tokens >= MIN ((double) count, self->burst))
    {
      self->tokens -= count;
      count_taken (self, count, now_us);
    }
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
 * for 30 s. An account with no limit gets a temporary one: half of what
 * it took in the last second (at least one a second), with no burst,
 * doubling every 5 s until it is back at the rate it had, when the limit
 * goes (a 429 while it holds changes nothing). The refused recipient itself waits its Retry-After in retry-wait;
 * blocking the whole account as well would turn a provider's occasional
 * 429 into a stall.
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
  else if (self->rate <= 0)
    {
      double seen = taken_last_second (self, now_us);

      self->seen_before = MAX (seen, 1.0);
      self->rate = MAX (1.0, seen / 2);
      self->burst = 1.0;
      self->tokens = 0;
      self->last_us = now_us;
      self->recover_at_us = now_us + RECOVER_STEP_US;
    }
  g_mutex_unlock (&self->mutex);
}
