Please confirm your sign-up

<#if contact.firstName?has_content>Hi ${contact.firstName},<#else>Hi,</#if>

Someone asked to get spine health tips from ${program.name} at this email address. We hope it was you!

Open this link to say yes. We will send up to 4 emails a month.
Yes, sign me up: ${confirm_url}

Did not ask for this? You do not need to do anything: if you do not confirm, you are not signed up.

<#include "/partials/email-footer.ftl">
