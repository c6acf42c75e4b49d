How early spine care can help

<#if contact.firstName?has_content>Hi ${contact.firstName},<#else>Hi,</#if>

Getting help for spine problems early can make a big difference. Here is what early care can offer.

What early care can do:
Getting care early can:
- Lower the chance of pain that lasts a long time
- Lead to better results
- Help save on health care costs over time

People who get care sooner often get back to their daily lives more quickly. Waiting too long may lead to bigger treatments, a longer time to heal, and more costs.

Less invasive surgery:
For some spine problems, a specialist may suggest minimally invasive spine surgery. It can mean:
- Less pain
- A quicker recovery
- A shorter hospital stay

A specialist can tell you if it may be right for you.

Scans that help find the cause:
Scans like MRI and CT let doctors look closely at the spine. This can help them find the exact cause and plan the right care.

Talk openly with a specialist:
Tell the specialist about all of your symptoms. Ask about each choice, and its benefits and risks. Talking openly can help you make the choice that is right for you.

Book a consultation: ${booking_url}

<#include "/partials/email-footer.ftl">
