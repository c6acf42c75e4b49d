A friendly reminder

<#if contact.firstName?has_content>Hi ${contact.firstName},<#else>Hi,</#if>

This is a quick reminder that you can book a consultation with a spine specialist.<#if clinic.name?has_content> You can book a visit at ${clinic.name}<#if clinic.address?has_content>, ${clinic.address}</#if>.</#if>

Watch for these signs:
- Back pain that does not go away
- Pain that spreads into the arms or legs
- Trouble moving around

It is best not to wait. Getting care early can lead to better results.

Book a consultation: ${booking_url}
<#if clinic.phone?has_content>

Would you rather call? You can reach <#if clinic.name?has_content>${clinic.name}<#else>the clinic</#if> at ${clinic.phone}.
</#if>

<#include "/partials/email-footer.ftl">
