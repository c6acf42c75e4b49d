¿Dolor de espalda que no se quita? No espere.

<#if contact.firstName?has_content>Hola, ${contact.firstName}:<#else>Hola:</#if>

Es mejor revisar los problemas de la columna a tiempo, antes de que empeoren. Estas son tres señales que no debe ignorar.

Señales que no debe ignorar:
- Dolor de espalda que no se quita
- Dolor que se extiende a los brazos o las piernas
- Dificultad para moverse

Por qué es importante actuar a tiempo:
Recibir atención a tiempo puede:
- Bajar el riesgo de tener dolor por mucho tiempo
- Llevar a mejores resultados
- Ayudar a ahorrar en gastos médicos con el tiempo

Las personas que reciben atención más pronto a menudo vuelven antes a sus actividades diarias.

Hable con un especialista en columna:
¿Usted o alguien que conoce tiene alguna de estas señales? No espere. Reserve una consulta con un especialista en columna. Podrá hacer preguntas y conocer sus opciones.

Reserve una consulta: ${booking_url}

<#include "/partials/email-footer.ftl">
