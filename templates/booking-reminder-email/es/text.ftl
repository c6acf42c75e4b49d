Un recordatorio amable

<#if contact.firstName?has_content>Hola, ${contact.firstName}:<#else>Hola:</#if>

Le recordamos que puede reservar una consulta con un especialista en columna.<#if clinic.name?has_content> Puede hacer su cita en ${clinic.name}<#if clinic.address?has_content>, ${clinic.address}</#if>.</#if>

Preste atención a estas señales:
- Dolor de espalda que no se quita
- Dolor que se extiende a los brazos o las piernas
- Dificultad para moverse

Es mejor no esperar. Recibir atención a tiempo puede llevar a mejores resultados.

Reserve una consulta: ${booking_url}
<#if clinic.phone?has_content>

¿Prefiere llamar? Puede comunicarse con <#if clinic.name?has_content>${clinic.name}<#else>la clínica</#if> al ${clinic.phone}.
</#if>

<#include "/partials/email-footer.ftl">
