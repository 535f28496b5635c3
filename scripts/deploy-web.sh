#!/usr/bin/env bash
# Builds the browser app and publishes it to the stack's CloudFront distribution.
#
#   scripts/deploy-web.sh [stack-name]
#
# Run after `sam deploy`. The stack name defaults to samconfig.toml's; the region is the AWS CLI's (AWS_REGION,
# AWS_DEFAULT_REGION or the profile), else samconfig.toml's. The app reads its sign-in settings from /config.json,
# which CloudFront answers, so the same build works for any stack.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# The first `key = "value"` in samconfig.toml (stack_name is under [default.global.parameters], region under
# [default.deploy.parameters]; each appears once).
samconfig_value() {
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\([^\"]*\)\".*/\1/p" samconfig.toml | head -n 1
}

stack="${1:-$(samconfig_value stack_name)}"
if [[ -z "$stack" ]]; then
  echo "deploy-web: no stack name given and none in samconfig.toml" >&2
  exit 2
fi
if [[ -z "${AWS_REGION:-}${AWS_DEFAULT_REGION:-}" ]] && ! aws configure get region >/dev/null 2>&1; then
  AWS_DEFAULT_REGION="$(samconfig_value region)"
  export AWS_DEFAULT_REGION
fi

output() {
  local value
  value="$(aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue | [0]" --output text)"
  if [[ -z "$value" || "$value" == "None" ]]; then
    echo "deploy-web: stack $stack has no output $1 - deploy the current template.yaml first (sam build && sam deploy)" >&2
    exit 1
  fi
  printf '%s' "$value"
}

bucket="$(output WebBucketName)"
distribution="$(output DistributionId)"
app_url="$(output WebAppUrl)"

echo "deploy-web: building web/"
npm --prefix web ci
npm --prefix web run build
if [[ ! -f web/dist/index.html ]]; then
  echo "deploy-web: the build left no web/dist/index.html" >&2
  exit 1
fi

# Vite names everything under assets/ by content hash, so those files never change: cache them for a year.
# Everything else (index.html above all) must be revalidated on every load, or a new release would never show.
echo "deploy-web: uploading to s3://$bucket"
aws s3 sync web/dist/assets "s3://$bucket/assets" --delete \
  --cache-control "public, max-age=31536000, immutable"
aws s3 sync web/dist "s3://$bucket" --delete --exclude "assets/*" \
  --cache-control "no-cache"

invalidation="$(aws cloudfront create-invalidation --distribution-id "$distribution" \
  --paths "/index.html" --query "Invalidation.Id" --output text)"
echo "deploy-web: invalidating /index.html ($invalidation)"

# CloudFormation resets the client's URLs when it updates the client; say so rather than let sign-in fail later.
pool="$(output UserPoolId)"
client="$(output UserPoolClientId)"
callbacks="$(aws cognito-idp describe-user-pool-client --user-pool-id "$pool" --client-id "$client" \
  --query "UserPoolClient.CallbackURLs" --output text)"
if [[ "$callbacks" != *"$app_url/auth/callback"* ]]; then
  echo "deploy-web: warning: the user pool client does not allow $app_url/auth/callback, so sign-in will fail." >&2
  echo "deploy-web: bump WebSignInUrls' ClientRevision in template.yaml and deploy again." >&2
fi

echo "deploy-web: done - $app_url"
